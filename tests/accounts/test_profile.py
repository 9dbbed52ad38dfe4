"""Editing one's own profile (/profil/ubah/), and how the author block shows it."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.services import update_profile
from tests.authoring_builders import (
    NOT_IMAGES,
    field_error,
    find,
    inside,
    jpeg_with_gps,
    png_header_claiming,
    stored_image,
    text_of,
    transparent_png,
    upload,
)
from tests.factories import make_article

pytestmark = pytest.mark.django_db

PROFILE_URL = reverse("accounts:edit_profile")
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def profile_data(**overrides):
    data = {
        "display_name": "Siti Rahma",
        "occupation": User.Occupation.TEACHER,
        "tagline": "Guru SD di Bantul",
        "bio": "Menulis tentang pendidikan dasar.\n\nDan tentang desa.",
    }
    data.update(overrides)
    return data


def profile_fields(person):
    person.refresh_from_db()
    return {
        "display_name": person.display_name,
        "occupation": person.occupation,
        "tagline": person.tagline,
        "bio": person.bio,
        "avatar": person.avatar.name,
    }


def test_profile_form_shows_the_current_profile(signed_in, user):
    user.tagline = "Pembaca setia"
    user.save()

    response = signed_in.get(PROFILE_URL)

    assert response.status_code == 200
    assert find(response, "input", name="display_name")[0].attrs["value"] == "Pembaca Setia"
    assert find(response, "input", name="tagline")[0].attrs["value"] == "Pembaca setia"
    assert find(response, "select", name="occupation")
    assert find(response, "textarea", name="bio")
    assert find(response, "input", name="avatar_upload", type="file")


def test_profile_update_saves_the_fields_and_returns_to_the_author_page(signed_in, user):
    response = signed_in.post(PROFILE_URL, profile_data(display_name="  Siti   Rahma "))

    assert response.status_code == 302
    assert response["Location"] == user.get_absolute_url()
    assert profile_fields(user) == {
        "display_name": "Siti Rahma",
        "occupation": "teacher",
        "tagline": "Guru SD di Bantul",
        "bio": "Menulis tentang pendidikan dasar.\n\nDan tentang desa.",
        "avatar": "",
    }


def test_avatar_is_re_encoded_as_a_256_square_without_exif(signed_in, user, media):
    response = signed_in.post(
        PROFILE_URL,
        profile_data(avatar_upload=upload(jpeg_with_gps((900, 600)), "selfie-di-rumah.jpg")),
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.avatar.name.startswith("avatars/")
    assert "selfie" not in user.avatar.name
    avatar = stored_image(user.avatar)
    assert avatar.size == (256, 256)
    assert not avatar.getexif()
    assert "exif" not in avatar.info
    assert b"KameraWarga" not in (media / user.avatar.name).read_bytes()


def test_transparent_avatar_stays_png(signed_in, user, media):
    signed_in.post(PROFILE_URL, profile_data(avatar_upload=upload(transparent_png(), "a.png")))

    user.refresh_from_db()
    assert user.avatar.name.endswith(".png")
    assert stored_image(user.avatar).size == (256, 256)


def test_avatar_can_be_removed(signed_in, user, media):
    signed_in.post(PROFILE_URL, profile_data(avatar_upload=upload(jpeg_with_gps((300, 300)))))
    user.refresh_from_db()
    assert user.avatar

    signed_in.post(PROFILE_URL, profile_data(remove_avatar="on"))

    user.refresh_from_db()
    assert not user.avatar


@pytest.mark.parametrize("kind", NOT_IMAGES)
def test_a_non_image_avatar_is_refused_and_nothing_changes(signed_in, user, media, kind):
    before = profile_fields(user)
    name, data, content_type = NOT_IMAGES[kind]

    response = signed_in.post(
        "/en" + PROFILE_URL,
        profile_data(avatar_upload=upload(data, name, content_type)),
    )

    assert response.status_code == 400
    assert field_error(response, "avatar_upload") == (
        "This file is not an image we accept. Use JPEG, PNG, WebP or GIF."
    )
    assert profile_fields(user) == before
    assert not any(path.is_file() for path in media.rglob("*"))


def test_an_avatar_bomb_is_refused(signed_in, user, media):
    response = signed_in.post(
        PROFILE_URL,
        profile_data(avatar_upload=upload(png_header_claiming(20_000, 20_000), "b.png")),
    )

    assert response.status_code == 400
    assert field_error(response, "avatar_upload")
    user.refresh_from_db()
    assert not user.avatar


def test_fields_the_form_does_not_show_are_ignored(signed_in, user):
    response = signed_in.post(
        PROFILE_URL,
        profile_data(
            is_staff="on",
            is_superuser="on",
            is_verified="on",
            username="admin",
            email="boss@example.com",
            suspended_indefinitely="on",
            session_version="99",
        ),
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_staff
    assert not user.is_superuser
    assert not user.is_verified
    assert user.username == "pembaca"
    assert user.email == "pembaca@example.com"
    assert not user.suspended_indefinitely
    assert user.session_version == 0


@pytest.mark.parametrize("occupation", ["astronaut", "", "teacher' OR '1'='1"])
def test_an_invalid_occupation_is_refused_and_keeps_the_typing(signed_in, user, occupation):
    before = profile_fields(user)

    response = signed_in.post(
        PROFILE_URL, profile_data(occupation=occupation, tagline="Baris yang saya ketik")
    )

    assert response.status_code == 400
    assert field_error(response, "occupation")
    assert find(response, "input", name="tagline")[0].attrs["value"] == "Baris yang saya ketik"
    assert profile_fields(user) == before


def test_a_too_long_tagline_is_refused(signed_in, user):
    before = profile_fields(user)

    response = signed_in.post(PROFILE_URL, profile_data(tagline="x" * 141))

    assert response.status_code == 400
    assert field_error(response, "tagline")
    assert profile_fields(user) == before


def test_profile_editing_needs_sign_in(client, user):
    response = client.get(PROFILE_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))

    response = client.post(PROFILE_URL, profile_data())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert profile_fields(user)["tagline"] == ""


def test_profile_post_without_a_csrf_token_is_refused(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(PROFILE_URL, profile_data())

    assert response.status_code == 403
    assert profile_fields(user)["tagline"] == ""


# --- Hostile markup is shown as text ---------------------------------------------


@pytest.fixture
def hostile_author(signed_in, user):
    response = signed_in.post(
        PROFILE_URL, profile_data(display_name=HOSTILE, tagline=HOSTILE, bio=HOSTILE)
    )
    assert response.status_code == 302
    return user


def assert_shown_as_text(response):
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html
    block = find(response, "section", class_="author-block")[0]
    assert "<script>" in text_of(block)  # the reader sees what was typed
    assert not [element for element in find(response, "script") if block in element.parents]


def test_hostile_profile_is_escaped_on_the_author_page(client, hostile_author):
    response = Client().get(hostile_author.get_absolute_url())

    assert response.status_code == 200
    assert_shown_as_text(response)
    assert find(response, "p", class_="author-tagline")
    assert find(response, "details", class_="author-bio")


def test_hostile_profile_is_escaped_in_the_author_block_of_an_article(hostile_author):
    article = make_article(author=hostile_author)

    response = Client().get(article.get_absolute_url())

    assert response.status_code == 200
    assert_shown_as_text(response)


def test_author_block_reflects_the_new_profile(signed_in, user, media):
    article = make_article(author=user)
    signed_in.post(
        PROFILE_URL,
        profile_data(avatar_upload=upload(jpeg_with_gps((400, 400)))),
    )
    user.refresh_from_db()

    response = Client().get(article.get_absolute_url())

    block = find(response, "section", class_="author-block")[0]
    assert "Siti Rahma" in text_of(block)
    assert "Guru SD di Bantul" in text_of(block)
    (avatar,) = inside(response, block, "img", class_="avatar")
    assert avatar.attrs["src"] == user.avatar.url


# --- update_profile --------------------------------------------------------------


def test_update_profile_saves_only_the_profile_fields(user, media):
    user.is_staff = True  # changed in memory, not by the service

    update_profile(
        user,
        data=profile_data(),
        avatar_upload=upload(jpeg_with_gps((300, 500))),
    )

    fresh = User.objects.get(pk=user.pk)
    assert fresh.display_name == "Siti Rahma"
    assert stored_image(fresh.avatar).size == (256, 256)
    assert not fresh.is_staff


def test_profile_changes_are_limited_with_a_clear_message_and_nothing_changes(signed_in, user):
    from accounts.services import PROFILE_CHANGES_PER_HOUR

    for number in range(PROFILE_CHANGES_PER_HOUR):
        response = signed_in.post(PROFILE_URL, profile_data(tagline=f"Catatan nomor {number}"))
        assert response.status_code == 302

    response = signed_in.post(PROFILE_URL, profile_data(tagline="Satu kali lagi"))

    assert response.status_code == 400
    assert "berkali-kali mengubah profil" in response.content.decode()
    user.refresh_from_db()
    assert user.tagline == f"Catatan nomor {PROFILE_CHANGES_PER_HOUR - 1}"


def test_a_save_that_changes_nothing_is_not_counted(signed_in, user):
    from accounts.services import PROFILE_CHANGES_PER_HOUR

    for _ in range(PROFILE_CHANGES_PER_HOUR + 3):
        assert signed_in.post(PROFILE_URL, profile_data()).status_code == 302


def test_the_language_of_emails_is_chosen_on_the_profile_form(signed_in, user):
    form = signed_in.get(PROFILE_URL)
    (english,) = find(form, "option", value="en")
    (indonesian,) = find(form, "option", value="id")
    assert "selected" in indonesian.attrs  # an older account: the site's language
    assert "selected" not in english.attrs

    response = signed_in.post(PROFILE_URL, profile_data(language="en"))

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "en"
    assert user.mail_language == "en"


def test_a_language_that_is_not_offered_is_refused(signed_in, user):
    response = signed_in.post(PROFILE_URL, profile_data(language="fr"))

    assert response.status_code == 400
    assert field_error(response, "language")
    user.refresh_from_db()
    assert user.language == ""
