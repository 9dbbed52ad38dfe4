import pytest
from django.db import IntegrityError, transaction

from accounts.models import Follow, User
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_name_is_the_display_name():
    assert make_user(username="budi", display_name="Budi Santoso").name == "Budi Santoso"


def test_name_falls_back_to_the_username():
    person = make_user(username="budi", display_name="")
    assert person.name == "budi"
    assert str(person) == "budi"


def test_initials_come_from_the_first_two_words_of_the_name():
    assert make_user(display_name="budi santoso wibowo").initials == "BS"
    assert make_user(username="sari", display_name="").initials == "S"


def test_profile_url_is_the_author_page():
    assert make_user(username="budi").get_absolute_url() == "/penulis/budi/"


def test_occupation_defaults_to_other():
    assert make_user().occupation == User.Occupation.OTHER


def test_unknown_occupation_is_refused_by_the_database():
    person = make_user()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=person.pk).update(occupation="astronaut")


def test_following_the_same_author_twice_is_refused_by_the_database(user, other_user):
    Follow.objects.create(follower=user, author=other_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(follower=user, author=other_user)


def test_following_yourself_is_refused_by_the_database(user):
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(follower=user, author=user)


def test_follows_go_both_ways_independently(user, other_user):
    Follow.objects.create(follower=user, author=other_user)
    Follow.objects.create(follower=other_user, author=user)
    assert user.following.get().author == other_user
    assert user.followers.get().follower == other_user
