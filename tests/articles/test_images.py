"""Upload validation and re-encoding: accounts.images directly, and article covers
through the write form (articles.services.set_cover)."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image

from accounts import images
from accounts.images import as_file, encode, open_image
from articles.models import Article
from tests.authoring_builders import (
    NOT_IMAGES,
    article_data,
    bilevel_png,
    edit_data,
    field_error,
    find,
    image_bytes,
    jpeg_with_gps,
    noise_png,
    png_header_claiming,
    stored_image,
    transparent_png,
    upload,
)
from tests.factories import make_article, make_topic

NOT_AN_IMAGE = "This file is not an image we accept. Use JPEG, PNG, WebP or GIF."
TOO_LARGE = "The image is too large: at most %(limit)s MB."
TOO_MANY_PIXELS = "The image has too many pixels: at most %(limit)s megapixels."
GENERATED_NAME = re.compile(r"^[0-9a-f]{32}(-page|-card)?\.(jpg|png)$")


def translated(msgid, language, **values):
    """The message as the catalogue of this language renders it."""
    with translation.override(language):
        message = gettext(msgid)
    return message % values if values else message


def refusal(data, name="foto.jpg", content_type="image/jpeg") -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        open_image(upload(data, name, content_type))
    return caught.value


def reopen(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def has_no_metadata(image: Image.Image) -> bool:
    return not image.getexif() and "exif" not in image.info and "xmp" not in image.info


# --- accounts.images: what is accepted -------------------------------------------


@pytest.mark.parametrize(
    ("image_format", "mode"),
    [("JPEG", "RGB"), ("PNG", "RGB"), ("PNG", "RGBA"), ("WEBP", "RGB"), ("GIF", "P")],
)
def test_open_image_accepts_the_four_formats(image_format, mode):
    data = image_bytes(Image.new(mode, (120, 80)), image_format)

    image = open_image(upload(data, f"foto.{image_format.lower()}"))

    assert image.format == image_format
    assert image.size == (120, 80)


def test_the_source_photo_really_carries_camera_and_gps_data():
    """Guard for the tests below: the EXIF they expect to be removed is there."""
    exif = reopen(jpeg_with_gps()).getexif()
    assert exif[0x010F] == "KameraWarga"
    assert 0x8825 in exif
    assert exif.get_ifd(0x8825)


def test_encode_leaves_no_exif_or_gps_data():
    image = open_image(upload(jpeg_with_gps()))

    for encoded in (
        encode(image, max_side=2400),
        encode(image, max_side=1200),
        encode(image, max_side=0, crop=(640, 360)),
    ):
        result = reopen(encoded)
        assert result.format == "JPEG"
        assert has_no_metadata(result)
        assert b"KameraWarga" not in encoded


def test_encode_strips_exif_from_a_transparent_png_too():
    source = Image.new("RGBA", (100, 100), (255, 0, 0, 128))
    exif = Image.Exif()
    exif[0x010F] = "KameraWarga"
    data = image_bytes(source, "PNG", exif=exif)
    assert reopen(data).getexif()[0x010F] == "KameraWarga"

    encoded = encode(open_image(upload(data, "a.png")), max_side=2400)

    assert reopen(encoded).format == "PNG"
    assert has_no_metadata(reopen(encoded))
    assert b"KameraWarga" not in encoded


def test_encode_turns_the_photo_the_way_the_camera_meant():
    # Orientation 6: stored landscape, shown rotated 90 degrees (portrait).
    image = open_image(upload(jpeg_with_gps((200, 100), orientation=6)))

    result = reopen(encode(image, max_side=2400))

    assert result.size == (100, 200)
    assert has_no_metadata(result)


def test_encode_scales_down_but_never_up():
    wide = open_image(upload(image_bytes(Image.new("RGB", (3000, 1000)), "JPEG")))
    small = open_image(upload(image_bytes(Image.new("RGB", (300, 200)), "JPEG")))

    assert reopen(encode(wide, max_side=2400)).size == (2400, 800)
    assert reopen(encode(wide, max_side=1200)).size == (1200, 400)
    assert reopen(encode(small, max_side=1200)).size == (300, 200)


@pytest.mark.parametrize("size", [(1600, 1200), (300, 900), (200, 100)])
def test_card_crop_is_always_640_by_360(size):
    image = open_image(upload(image_bytes(Image.new("RGB", size), "JPEG")))

    assert reopen(encode(image, max_side=0, crop=(640, 360))).size == (640, 360)


def test_transparent_png_stays_png_with_its_transparency():
    encoded = encode(open_image(upload(transparent_png(), "a.png")), max_side=2400)

    result = reopen(encoded)
    assert result.format == "PNG"
    assert result.mode == "RGBA"
    assert result.getpixel((0, 0))[3] == 255
    assert result.getpixel((399, 0))[3] == 0


def test_transparent_gif_becomes_a_transparent_png():
    source = Image.new("P", (50, 50), 0)
    source.putpalette([255, 255, 255, 0, 0, 0] + [0] * 762)
    data = image_bytes(source, "GIF", transparency=0)

    result = reopen(encode(open_image(upload(data, "a.gif")), max_side=2400))

    assert result.format == "PNG"
    assert result.getpixel((0, 0))[3] == 0


def test_animated_gif_is_stored_as_its_first_frame():
    frames = [Image.new("RGB", (60, 40), color) for color in ("red", "blue", "green")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100)

    result = reopen(encode(open_image(upload(buffer.getvalue(), "a.gif")), max_side=2400))

    assert result.format == "JPEG"
    assert result.size == (60, 40)
    red, green, blue = result.getpixel((30, 20))
    assert red > 200 and green < 60 and blue < 60


def test_html_appended_to_a_real_jpeg_does_not_survive_re_encoding():
    payload = b"<html><script>alert(1)</script></html>"
    data = jpeg_with_gps((64, 64)) + payload

    encoded = encode(open_image(upload(data)), max_side=2400)

    assert payload not in encoded
    assert b"<script>" not in encoded


def test_stored_names_are_generated():
    first = as_file(encode(open_image(upload(jpeg_with_gps())), max_side=100))
    second = as_file(transparent_png(), suffix="-card")

    assert GENERATED_NAME.match(first.name)
    assert first.name.endswith(".jpg")
    assert GENERATED_NAME.match(second.name)
    assert second.name.endswith("-card.png")
    assert first.name != as_file(b"\xff\xd8").name


# --- accounts.images: what is refused --------------------------------------------


@pytest.mark.parametrize("kind", NOT_IMAGES)
def test_files_that_are_not_images_are_refused(kind):
    name, data, content_type = NOT_IMAGES[kind]

    with translation.override("en"):
        error = refusal(data, name, content_type)
        messages = error.messages  # lazy messages are rendered in the active language

    assert error.code == "not_an_image"
    assert messages == [NOT_AN_IMAGE]


@pytest.mark.parametrize("image_format", ["BMP", "TIFF", "ICO", "PPM"])
def test_real_images_of_other_formats_are_refused(image_format):
    data = image_bytes(Image.new("RGB", (32, 32)), image_format)

    error = refusal(data, f"a.{image_format.lower()}")

    assert error.code == "not_an_image"


def test_a_truncated_jpeg_is_refused():
    data = jpeg_with_gps((400, 300))

    error = refusal(data[: len(data) // 2])

    assert error.code == "not_an_image"


def test_an_empty_file_is_refused():
    assert refusal(b"").code == "not_an_image"


def test_an_oversize_upload_is_refused_before_it_is_decoded(monkeypatch):
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 1024 * 1024)
    data = noise_png((800, 800))
    assert len(data) > 1024 * 1024

    with translation.override("en"):
        error = refusal(data, "besar.png")

    assert error.code == "too_large"
    assert error.messages == [TOO_LARGE % {"limit": 1}]


def test_the_real_limit_is_eight_megabytes():
    assert images.MAX_UPLOAD_BYTES == 8 * 1024 * 1024


@pytest.mark.parametrize(
    "data",
    [
        # Pillow's own bomb error: the header claims 400 megapixels.
        pytest.param(png_header_claiming(20_000, 20_000), id="header claims 20000x20000"),
        # Pillow only warns here (100 megapixels); the warning is an error for us.
        pytest.param(bilevel_png((10_000, 10_000)), id="decodable 10000x10000"),
        # Below Pillow's warning, above our own 40 megapixel limit.
        pytest.param(bilevel_png((8_000, 8_000)), id="decodable 8000x8000"),
    ],
)
def test_a_decompression_bomb_is_refused_with_the_pixel_message(data):
    assert len(data) < 100_000  # small on disk, huge in memory

    with translation.override("en"):
        error = refusal(data, "bom.png", "image/png")

    assert error.code == "too_many_pixels"
    assert error.messages == [TOO_MANY_PIXELS % {"limit": 40}]


def test_the_pixel_limit_is_read_at_upload_time(monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 2_000_000)

    error = refusal(image_bytes(Image.new("RGB", (2000, 1001)), "JPEG"))

    assert error.code == "too_many_pixels"


def test_the_pixel_message_follows_the_readers_language():
    data = png_header_claiming(20_000, 20_000)

    for language in ("id", "en"):
        with translation.override(language):
            error = refusal(data, "bom.png", "image/png")
        assert error.messages == [translated(TOO_MANY_PIXELS, language, limit=40)]


# --- Covers through the write form -----------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def topic(db):
    return make_topic("pendidikan-umum", name="Pendidikan")


@pytest.fixture
def author(client, user):
    client.force_login(user)
    return client


def stored_files(media_root):
    return sorted(path for path in media_root.rglob("*") if path.is_file())


def write_with_cover(client, topic, data, name="foto-liburan-keluarga.jpg", prefix=""):
    return client.post(
        prefix + reverse("articles:write"),
        article_data(topic, cover_upload=upload(data, name), cover_caption="Sekolah di desa"),
    )


def test_cover_is_stored_re_encoded_without_exif_under_a_generated_name(author, topic, media):
    response = write_with_cover(author, topic, jpeg_with_gps((1600, 1200)))

    assert response.status_code == 302
    article = Article.objects.get()
    for field in (article.cover, article.cover_page, article.cover_card):
        assert field.name.startswith("covers/")
        assert "liburan" not in field.name
        assert GENERATED_NAME.match(field.name.rsplit("/", 1)[1])
        assert has_no_metadata(stored_image(field))
        assert b"KameraWarga" not in (media / field.name).read_bytes()
    assert stored_image(article.cover).size == (1600, 1200)
    assert stored_image(article.cover_card).size == (640, 360)
    assert stored_image(article.cover_page).size[0] <= 1200
    assert stored_image(article.cover_page).size == (1200, 900)
    assert not any("liburan" in path.name for path in stored_files(media))


def test_article_page_shows_the_page_rendition_and_links_the_full_photo(author, topic, media):
    write_with_cover(author, topic, jpeg_with_gps((1600, 1200)))
    article = Article.objects.get()
    author.post(reverse("articles:publish", kwargs={"pk": article.pk}))

    page = author.get(article.get_absolute_url())
    home = author.get(reverse("articles:home"))

    cover = find(page, "figure", class_="cover")
    assert cover
    assert find(page, "img", src=article.cover_page.url)
    assert find(page, "a", class_="view-photo")[0].attrs["href"] == article.cover.url
    assert find(home, "img", src=article.cover_card.url)


def test_transparent_png_cover_stays_png(author, topic, media):
    response = write_with_cover(author, topic, transparent_png((800, 600)), "logo.png")

    assert response.status_code == 302
    article = Article.objects.get()
    assert article.cover.name.endswith(".png")
    assert stored_image(article.cover).format == "PNG"
    assert stored_image(article.cover).mode == "RGBA"
    assert stored_image(article.cover_card).size == (640, 360)


@pytest.mark.parametrize("kind", NOT_IMAGES)
def test_a_non_image_cover_is_refused_and_nothing_is_written(author, topic, media, kind):
    name, data, content_type = NOT_IMAGES[kind]

    response = author.post(
        "/en" + reverse("articles:write"),
        article_data(topic, cover_upload=upload(data, name, content_type)),
    )

    assert response.status_code == 400
    assert field_error(response, "cover_upload") == NOT_AN_IMAGE
    assert not Article.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize("kind", NOT_IMAGES)
def test_a_non_image_cover_on_edit_leaves_the_article_unchanged(author, user, topic, media, kind):
    write_with_cover(author, topic, jpeg_with_gps((800, 600)))
    article = Article.objects.get()
    before = (article.title, article.cover.name, article.cover_page.name, article.cover_card.name)
    files_before = stored_files(media)
    name, data, content_type = NOT_IMAGES[kind]

    response = author.post(
        reverse("articles:edit", kwargs={"pk": article.pk}),
        edit_data(article, title="Judul Baru", cover_upload=upload(data, name, content_type)),
    )

    assert response.status_code == 400
    assert field_error(response, "cover_upload") == translated(NOT_AN_IMAGE, "id")
    article.refresh_from_db()
    assert (
        article.title,
        article.cover.name,
        article.cover_page.name,
        article.cover_card.name,
    ) == before
    assert stored_files(media) == files_before


def test_an_oversize_cover_is_refused(author, topic, media, monkeypatch):
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 1024 * 1024)

    response = author.post(
        "/en" + reverse("articles:write"),
        article_data(topic, cover_upload=upload(noise_png((800, 800)), "besar.png")),
    )

    assert response.status_code == 400
    assert field_error(response, "cover_upload") == TOO_LARGE % {"limit": 1}
    assert not Article.objects.exists()
    assert stored_files(media) == []


def test_a_decompression_bomb_cover_is_refused_in_english_under_en(author, topic, media):
    response = write_with_cover(
        author, topic, png_header_claiming(20_000, 20_000), "bom.png", prefix="/en"
    )

    assert response.status_code == 400
    assert field_error(response, "cover_upload") == TOO_MANY_PIXELS % {"limit": 40}
    assert not Article.objects.exists()


def test_a_decompression_bomb_cover_is_refused_in_indonesian_by_default(author, topic, media):
    response = write_with_cover(author, topic, bilevel_png((10_000, 10_000)), "bom.png")

    assert response.status_code == 400
    message = field_error(response, "cover_upload")
    assert message
    assert message == translated(TOO_MANY_PIXELS, "id", limit=40)
    assert not Article.objects.exists()
    assert stored_files(media) == []


def test_a_bomb_on_edit_leaves_the_cover_unchanged(author, user, topic, media):
    article = make_article(author=user, topic=topic, cover="covers/2024/01/lama.jpg")

    response = author.post(
        reverse("articles:edit", kwargs={"pk": article.pk}),
        edit_data(article, cover_upload=upload(png_header_claiming(30_000, 30_000), "b.png")),
    )

    assert response.status_code == 400
    assert field_error(response, "cover_upload")
    article.refresh_from_db()
    assert article.cover.name == "covers/2024/01/lama.jpg"


def test_a_new_cover_replaces_the_old_one_and_remove_clears_it(author, topic, media):
    write_with_cover(author, topic, jpeg_with_gps((800, 600)))
    article = Article.objects.get()
    old = article.cover.name
    edit = reverse("articles:edit", kwargs={"pk": article.pk})

    author.post(edit, edit_data(article, cover_upload=upload(transparent_png(), "b.png")))
    article.refresh_from_db()
    assert article.cover.name != old
    assert article.cover.name.endswith(".png")

    author.post(edit, edit_data(article, remove_cover="on"))
    article.refresh_from_db()
    assert not article.cover
    assert not article.cover_page
    assert not article.cover_card
