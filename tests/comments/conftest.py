import pytest


@pytest.fixture
def staff(staff_user):
    return staff_user
