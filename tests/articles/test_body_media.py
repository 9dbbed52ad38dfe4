"""Photos and videos in an article's body (README, "Writing"): the upload
service and its refusals, the sanitiser's treatment of images and video links,
the upload views with and without JavaScript, and the article page's
click-to-load placeholder."""

import io
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from articles import services
from articles.bodyimages import RENDITION_WIDTHS, own_image_name, video_from_url
from articles.models import Article, BodyImage
from articles.sanitizer import sanitize_html
from tests.authoring_builders import (
    NOT_IMAGES,
    bilevel_png,
    field_error,
    image_bytes,
    jpeg_with_gps,
    png_header_claiming,
    transparent_png,
    upload,
)
from tests.factories import make_article, make_topic, make_user

pytestmark = pytest.mark.django_db

NAME = re.compile(r"^body/\d{4}/\d{2}/[0-9a-f]{32}-\d+x\d+(-w\d+)?\.(jpg|png)$")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def stored_files():
    return sorted(
        f"{folder}/{name}"
        for folder in _walk("body")
        for name in default_storage.listdir(folder)[1]
    )


def _walk(folder):
    if not default_storage.exists(folder):
        return []
    found = [folder]
    for child in default_storage.listdir(folder)[0]:
        found += _walk(f"{folder}/{child}")
    return found


def reopen(name) -> Image.Image:
    with default_storage.open(name, "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def photo(owner, **kwargs):
    kwargs.setdefault("upload", upload(jpeg_with_gps((2400, 1800))))
    kwargs.setdefault("alt", "Sawah berundak di Tegalalang")
    return services.upload_body_image(owner=owner, **kwargs)


def refused(owner, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        photo(owner, **kwargs)
    return caught.value


# --- The upload service ----------------------------------------------------------


def test_a_photo_is_stored_at_each_width_without_its_camera_and_gps_data():
    owner = make_user()

    image = photo(owner, caption="Pagi di Tegalalang")

    assert NAME.match(image.name)
    assert (image.width, image.height) == (1600, 1200)
    assert len(image.files) == len(RENDITION_WIDTHS)
    assert all(NAME.match(name) for name in image.files)
    widths = sorted(reopen(name).size[0] for name in image.files)
    assert widths == [480, 960, 1600]
    for name in image.files:
        stored = reopen(name)
        assert stored.format == "JPEG"
        assert not stored.getexif()
        with default_storage.open(name, "rb") as handle:
            assert b"KameraWarga" not in handle.read()
    assert image.bytes == sum(default_storage.size(name) for name in image.files)
    assert image.alt == "Sawah berundak di Tegalalang"
    assert image.caption == "Pagi di Tegalalang"
    assert image.thumbnail_url.endswith("-w480.jpg")


def test_a_narrow_photo_is_not_scaled_up_and_a_transparent_one_stays_png():
    owner = make_user()

    image = photo(owner, upload=upload(transparent_png((400, 300)), "logo.png", "image/png"))

    assert (image.width, image.height) == (400, 300)
    assert image.files == [image.name]
    assert image.name.endswith(".png")


def test_the_uploaders_file_name_is_never_used():
    image = photo(make_user(), upload=upload(jpeg_with_gps(), "rumah-saya-jl-mawar-5.jpg"))
    assert all("mawar" not in name for name in image.files)


@pytest.mark.parametrize("alt", ["", "   "])
def test_a_photo_without_alternative_text_is_refused_and_nothing_is_stored(alt):
    error = refused(make_user(), alt=alt)

    assert error.code == "alt_required"
    assert BodyImage.objects.count() == 0
    assert stored_files() == []


@pytest.mark.parametrize("kind", NOT_IMAGES)
def test_files_that_are_not_images_are_refused(kind):
    name, data, content_type = NOT_IMAGES[kind]

    error = refused(make_user(), upload=upload(data, name, content_type))

    assert error.code == "not_an_image"
    assert BodyImage.objects.count() == 0
    assert stored_files() == []


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(png_header_claiming(20_000, 20_000), id="header claims 20000x20000"),
        pytest.param(bilevel_png((8_000, 8_000)), id="decodable 8000x8000"),
    ],
)
def test_a_decompression_bomb_is_refused(data):
    error = refused(make_user(), upload=upload(data, "bom.png", "image/png"))

    assert error.code == "too_many_pixels"
    assert stored_files() == []


def test_an_oversized_file_is_refused():
    data = image_bytes(Image.new("RGB", (10, 10)), "PNG") + b"\0" * (8 * 1024 * 1024)

    error = refused(make_user(), upload=upload(data, "besar.png", "image/png"))

    assert error.code == "too_large"
    assert stored_files() == []


def test_the_storage_quota_counts_every_rendition_of_every_photo(settings):
    owner = make_user()
    first = photo(owner)
    # Room for less than one more photo of the same kind.
    settings.BODY_IMAGE_QUOTA_MB = 1
    BodyImage.objects.filter(pk=first.pk).update(bytes=1024 * 1024 - 10)

    with translation.override("en"):
        error = refused(owner)

    assert error.code == "quota"
    assert "1 MB" in error.messages[0]
    assert BodyImage.objects.count() == 1
    assert stored_files() == sorted(first.files)
    # Another author's quota is their own.
    photo(make_user())


def test_the_hourly_limit_refuses_the_next_upload_until_an_hour_has_passed(settings):
    settings.BODY_IMAGE_UPLOADS_PER_HOUR = 2
    owner = make_user()
    small = image_bytes(Image.new("RGB", (50, 40), "green"), "PNG")
    photo(owner, upload=upload(small, "a.png", "image/png"))
    photo(owner, upload=upload(small, "b.png", "image/png"))

    assert refused(owner, upload=upload(small, "c.png", "image/png")).code == "rate"

    BodyImage.objects.update(created_at=timezone.now() - timezone.timedelta(minutes=61))
    photo(owner, upload=upload(small, "c.png", "image/png"))


def test_an_article_holds_at_most_its_limit_of_photos(settings):
    settings.BODY_IMAGES_PER_ARTICLE = 1
    article = make_article()
    small = image_bytes(Image.new("RGB", (50, 40), "green"), "PNG")
    photo(article.author, article=article, upload=upload(small, "a.png", "image/png"))

    error = refused(article.author, article=article, upload=upload(small, "b.png", "image/png"))

    assert error.code == "article_full"
    # Not counted against another article.
    photo(article.author, article=make_article(author=article.author))


# --- The sanitiser ----------------------------------------------------------------


def test_an_uploaded_photo_passes_the_sanitiser_with_its_size_and_srcset():
    image = photo(make_user(), caption="Pagi")

    html = sanitize_html(services.body_image_html(image))

    assert html.startswith("<figure><img ")
    assert f'src="/media/{image.name}"' in html
    assert 'alt="Sawah berundak di Tegalalang"' in html
    assert 'width="1600" height="1200"' in html
    assert 'loading="lazy"' in html
    srcset = re.search(r'srcset="([^"]+)"', html)[1]
    assert [part.rsplit(" ", 1)[1] for part in srcset.split(", ")] == ["480w", "960w", "1600w"]
    assert html.endswith("<figcaption>Pagi</figcaption></figure>")
    assert sanitize_html(html) == html


def test_a_photo_written_with_another_host_is_pointed_back_at_the_sites_storage():
    name = "body/2026/12/" + "a" * 32 + "-800x600.jpg"

    html = sanitize_html(f'<img src="https://evil.example/{name}?x=1" alt="Foto" onerror="x()">')

    assert html.startswith(f'<img alt="Foto" src="/media/{name}" width="800" height="600"')
    assert "evil" not in html and "onerror" not in html


@pytest.mark.parametrize(
    "source",
    [
        "https://img.example/foto.jpg",
        "/media/covers/2026/12/" + "a" * 32 + ".jpg",
        "/media/body/2026/12/" + "a" * 32 + ".jpg",
        "/media/body/2026/12/../../../" + "a" * 32 + "-10x10.jpg",
        "/media/body/2026/12/" + "A" * 32 + "-10x10.jpg",
        "/media/body/2026/12/" + "a" * 32 + "-10x10.svg",
        "data:image/png;base64,iVBORw0KGgo=",
        "javascript:alert(1)",
    ],
)
def test_images_the_site_did_not_store_are_dropped(source):
    assert sanitize_html(f'<p>Lihat <img src="{source}" alt="x">ini</p>') == "<p>Lihat ini</p>"


def test_own_image_names_are_recognised_only_in_the_generated_form():
    name = "body/2026/12/" + "0" * 32 + "-1600x900.jpg"
    assert own_image_name(f"/media/{name}") == name
    assert own_image_name(f"https://cdn.example/{name}") == name
    assert own_image_name(f"/media/{name}x") is None


# --- Videos -------------------------------------------------------------------------

VIDEO_ID = "dQw4w9WgXcQ"


@pytest.mark.parametrize(
    "url",
    [
        f"https://www.youtube.com/watch?v={VIDEO_ID}",
        f"https://youtube.com/watch?v={VIDEO_ID}&t=30s",
        f"https://m.youtube.com/watch?v={VIDEO_ID}",
        f"https://youtu.be/{VIDEO_ID}",
        f"https://www.youtube.com/shorts/{VIDEO_ID}",
        f"https://www.youtube.com/embed/{VIDEO_ID}",
        f"https://www.youtube-nocookie.com/embed/{VIDEO_ID}",
    ],
)
def test_youtube_addresses_are_recognised(url):
    video = video_from_url(url)
    assert (video.provider, video.id) == ("youtube", VIDEO_ID)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/channel/UCabcdefghijk",
        f"https://evil.example/watch?v={VIDEO_ID}",
        f"https://youtube.com.evil.example/watch?v={VIDEO_ID}",
        f"javascript:alert('{VIDEO_ID}')",
        "https://vimeo.com/channels/staffpicks",
        "",
    ],
)
def test_other_addresses_are_not_videos(url):
    assert video_from_url(url) is None


def test_vimeo_addresses_are_recognised():
    video = video_from_url("https://vimeo.com/76979871")
    assert (video.provider, video.id) == ("vimeo", "76979871")
    assert video.player_url == "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1"


def test_a_video_link_alone_on_its_line_is_stored_as_a_marker():
    html = sanitize_html(f"<p>Sebelum</p><p>https://youtu.be/{VIDEO_ID}</p><p>Sesudah</p>")

    assert html == (
        "<p>Sebelum</p>"
        f'<figure class="video-embed" data-video="youtube:{VIDEO_ID}">'
        f'<a href="https://www.youtube.com/watch?v={VIDEO_ID}" rel="nofollow ugc noopener">'
        f"https://www.youtube.com/watch?v={VIDEO_ID}</a></figure>"
        "<p>Sesudah</p>"
    )
    assert sanitize_html(html) == html


def test_a_linked_title_becomes_the_videos_title_escaped():
    html = sanitize_html(
        '<p><a href="https://vimeo.com/76979871">Festival &lt;b&gt;Layang&lt;/b&gt;</a></p>'
    )
    assert html == (
        '<figure class="video-embed" data-video="vimeo:76979871">'
        '<a href="https://vimeo.com/76979871" rel="nofollow ugc noopener">'
        "Festival &lt;b&gt;Layang&lt;/b&gt;</a></figure>"
    )


@pytest.mark.parametrize(
    "body",
    [
        f"<p>Tonton https://youtu.be/{VIDEO_ID} ya</p>",
        f'<p><a href="https://youtu.be/{VIDEO_ID}">satu</a> dan <a href="https://youtu.be/{VIDEO_ID}">dua</a></p>',
        f'<p><a href="https://youtu.be/{VIDEO_ID}"><strong>tebal</strong></a></p>',
        f"<ul><li>https://youtu.be/{VIDEO_ID}</li></ul>",
    ],
)
def test_a_video_link_inside_other_text_stays_a_link(body):
    html = sanitize_html(body)
    assert "video-embed" not in html
    assert f"youtu.be/{VIDEO_ID}" in html


@pytest.mark.parametrize(
    "hostile",
    [
        '<figure class="video-embed" data-video="youtube:../../x"><a href="x">y</a></figure>',
        '<figure class="video-embed" data-video="evil:123"><a href="x">y</a></figure>',
        '<figure class="other" data-video="youtube:dQw4w9WgXcQ" onclick="x()">y</figure>',
        '<figure data-player="javascript:alert(1)">y</figure>',
        '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"></iframe>',
    ],
)
def test_hand_written_markers_keep_nothing_unsafe(hostile):
    html = sanitize_html(hostile)
    assert "iframe" not in html and "onclick" not in html and "javascript" not in html
    assert "data-player" not in html and "../" not in html and "evil:" not in html


# --- Views --------------------------------------------------------------------------


def post_photo(client, url, data=None, *, json_=True, **fields):
    payload = {
        "photo-image": upload(data or jpeg_with_gps((1200, 900))),
        "photo-alt": "Warga kerja bakti",
        "photo-caption": "Minggu pagi",
        **fields,
    }
    headers = {"Accept": "application/json"} if json_ else {}
    return client.post(url, payload, headers=headers)


def test_the_editor_gets_a_figure_to_insert_and_the_photo_belongs_to_the_article(client):
    article = make_article(status=Article.Status.DRAFT)
    client.force_login(article.author)

    response = post_photo(client, reverse("articles:upload_image", args=[article.pk]))

    assert response.status_code == 200
    data = response.json()
    assert data["state"] == "saved"
    image = BodyImage.objects.get()
    assert image.article == article and image.owner == article.author
    assert data["html"] == (
        f'<figure><img src="/media/{image.name}" alt="Warga kerja bakti">'
        "<figcaption>Minggu pagi</figcaption></figure>"
    )
    article.refresh_from_db()
    assert "<img" not in article.body  # the editor inserts it; the author saves


def test_a_photo_uploaded_for_a_new_article_joins_it_at_its_first_save(client):
    author = make_user()
    client.force_login(author)
    topic = make_topic()

    html = post_photo(client, reverse("articles:upload_image_new")).json()["html"]
    assert BodyImage.objects.get().article is None
    client.post(
        reverse("articles:write"),
        {
            "title": "Kerja Bakti",
            "topic": str(topic.pk),
            "excerpt": "",
            "body": f"<p>Foto:</p>{html}",
            "tags": "",
            "action": "draft",
        },
    )

    article = Article.objects.get(author=author)
    assert BodyImage.objects.get().article == article
    assert 'srcset="' in article.body_html


def test_someone_elses_photo_is_not_claimed_by_my_article(client):
    other = photo(make_user())
    article = make_article(status=Article.Status.DRAFT)
    services.save_article(
        article,
        author=article.author,
        data={**{f: getattr(article, f) for f in services.ARTICLE_FIELDS},
              "body": services.body_image_html(other)},
        tags=[],
    )  # fmt: skip

    other.refresh_from_db()
    assert other.article is None


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "id",
            "Berkas ini bukan gambar yang dapat kami terima. Gunakan JPEG, PNG, WebP, atau GIF.",
        ),
        ("en", "This file is not an image we accept. Use JPEG, PNG, WebP or GIF."),
    ],
)
def test_a_bad_file_gets_a_translated_message_and_changes_nothing(client, language, message):
    article = make_article(status=Article.Status.DRAFT)
    client.force_login(article.author)
    name, data, content_type = NOT_IMAGES["SVG"]
    prefix = "" if language == "id" else "/en"

    response = client.post(
        prefix + reverse("articles:upload_image", args=[article.pk]),
        {"photo-image": upload(data, name, content_type), "photo-alt": "Logo"},
        headers={"Accept": "application/json"},
    )

    assert response.status_code == 200
    assert response.json() == {"state": "invalid", "message": message}
    assert BodyImage.objects.count() == 0 and stored_files() == []


def test_without_alternative_text_the_page_says_so(client):
    article = make_article(status=Article.Status.DRAFT)
    client.force_login(article.author)

    url = reverse("articles:upload_image", args=[article.pk])
    response = post_photo(client, url, json_=False, **{"photo-alt": ""})

    assert response.status_code == 400
    assert "alternatif" in field_error(response, "photo-alt")
    assert BodyImage.objects.count() == 0


def test_without_javascript_the_photo_goes_at_the_end_of_the_article(client):
    article = make_article(status=Article.Status.DRAFT, body="<p>Pembuka.</p>")
    client.force_login(article.author)
    page = client.get(reverse("articles:upload_image", args=[article.pk]))
    assert page.status_code == 200
    assert b'name="photo-image"' in page.content and b'name="photo-alt"' in page.content

    response = post_photo(client, reverse("articles:upload_image", args=[article.pk]), json_=False)

    assert response.status_code == 302
    assert response["Location"] == reverse("articles:edit", args=[article.pk])
    article.refresh_from_db()
    image = BodyImage.objects.get()
    assert article.body.startswith("<p>Pembuka.</p><figure><img ")
    assert f'src="/media/{image.name}"' in article.body_html
    assert article.revisions.count() >= 1


def test_another_user_cannot_upload_into_my_article(client):
    article = make_article(status=Article.Status.DRAFT)
    client.force_login(make_user())

    response = post_photo(client, reverse("articles:upload_image", args=[article.pk]))

    assert response.status_code in (403, 404)
    assert BodyImage.objects.count() == 0


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.post(reverse("articles:upload_image_new"))
    assert response.status_code == 302
    assert "/akun/" in response["Location"]


def test_the_write_page_lists_the_articles_photos(client, django_assert_max_num_queries):
    article = make_article(status=Article.Status.DRAFT)
    small = image_bytes(Image.new("RGB", (50, 40), "green"), "PNG")
    for number in range(5):
        photo(article.author, article=article, alt=f"Foto {number}",
              upload=upload(small, "a.png", "image/png"))  # fmt: skip
    client.force_login(article.author)

    with django_assert_max_num_queries(20):
        response = client.get(reverse("articles:edit", args=[article.pk]))

    html = response.content.decode()
    assert all(f'alt="Foto {number}"' in html for number in range(5))
    assert reverse("articles:upload_image", args=[article.pk]) in html


def test_erasing_an_article_deletes_its_photo_files(django_capture_on_commit_callbacks):
    article = make_article()
    image = photo(article.author, article=article)

    with django_capture_on_commit_callbacks(execute=True):
        services.erase_article(article, by=article.author)

    assert not BodyImage.objects.filter(pk=image.pk).exists()
    assert stored_files() == []


# --- The article page ---------------------------------------------------------------


def test_the_article_page_shows_a_placeholder_that_loads_nothing_from_youtube(client):
    article = make_article(body=f"<p>Simak:</p><p>https://youtu.be/{VIDEO_ID}</p>")

    response = client.get(article.get_absolute_url())

    html = response.content.decode()
    assert "<iframe" not in html
    assert f'data-player="https://www.youtube-nocookie.com/embed/{VIDEO_ID}?autoplay=1"' in html
    assert "Putar video" in html and "Video YouTube" in html
    assert f'href="https://www.youtube.com/watch?v={VIDEO_ID}"' in html
    # Nothing on the page makes the browser fetch from YouTube by itself.
    assert not re.search(r'(src|srcset|poster)="[^"]*(youtube|ytimg)', html)
    policy = response.headers["Content-Security-Policy"]
    frame_src = re.search(r"frame-src ([^;]+)", policy)[1].split()
    assert frame_src == ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]


def test_the_english_page_speaks_english_and_keeps_the_title(client):
    article = make_article(
        body='<p><a href="https://vimeo.com/76979871">Festival Layang-layang</a></p>'
    )

    response = client.get("/en" + article.get_absolute_url())

    html = response.content.decode()
    assert "Play video" in html and "Watch on Vimeo" in html
    assert '<p class="video-title">Festival Layang-layang</p>' in html
    assert "player.vimeo.com/video/76979871?dnt=1&amp;autoplay=1" in html


def test_the_feed_carries_the_video_as_a_plain_link(client):
    article = make_article(body=f"<p>https://youtu.be/{VIDEO_ID}</p>")

    response = client.get(reverse("articles:feed"))

    content = response.content.decode()
    assert article.title in content
    assert "youtube-nocookie" not in content
    assert f"https://www.youtube.com/watch?v={VIDEO_ID}" in content


# --- Data Saya ----------------------------------------------------------------------


def test_the_export_lists_the_authors_photos_with_their_files(settings, tmp_path):
    from rights import exports

    settings.RIGHTS_EXPORT_ROOT = tmp_path / "exports"
    article = make_article()
    image = photo(article.author, article=article, caption="Pagi")
    loose = photo(article.author, alt="Belum dipakai")

    data, images = exports.collect(article.author)

    (entry,) = next(a for a in data["articles"] if a["id"] == article.pk)["photos"]
    assert entry["alt"] == image.alt and entry["caption"] == "Pagi"
    assert images[entry["file"]] == image.name
    (other,) = data["other_photos"]
    assert other["alt"] == loose.alt
    json.dumps(data, default=str)
