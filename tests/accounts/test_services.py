import pytest

from accounts.models import Follow
from accounts.services import follow_author, unfollow_author

pytestmark = pytest.mark.django_db


def test_follow_creates_one_follow(user, other_user):
    assert follow_author(user, author=other_user) is True
    assert Follow.objects.filter(follower=user, author=other_user).count() == 1


def test_follow_twice_is_idempotent(user, other_user):
    follow_author(user, author=other_user)
    assert follow_author(user, author=other_user) is False
    assert Follow.objects.filter(follower=user, author=other_user).count() == 1


def test_follow_yourself_is_refused(user):
    with pytest.raises(ValueError, match="themselves"):
        follow_author(user, author=user)
    assert not Follow.objects.exists()


def test_unfollow_removes_the_follow(user, other_user):
    follow_author(user, author=other_user)
    assert unfollow_author(user, author=other_user) is True
    assert not Follow.objects.exists()


def test_unfollow_without_a_follow_is_idempotent(user, other_user):
    assert unfollow_author(user, author=other_user) is False


def test_unfollow_leaves_other_follows_alone(user, other_user, staff_user):
    follow_author(user, author=other_user)
    follow_author(staff_user, author=other_user)
    follow_author(other_user, author=user)
    unfollow_author(user, author=other_user)
    assert set(Follow.objects.values_list("follower__username", "author__username")) == {
        ("redaksi", "tetangga"),
        ("tetangga", "pembaca"),
    }
