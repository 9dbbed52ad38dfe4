"""The browser tests' own safety net: a script error or a broken request on a page
is caught, or every journey could pass with a broken page."""

import pytest

pytestmark = pytest.mark.e2e


def test_script_errors_and_failed_requests_are_caught(live_server, page, browser_problems):
    page.goto("/")
    page.evaluate("() => { setTimeout(() => { throw new Error('rusak di halaman'); }); }")
    page.evaluate("() => fetch('/static/tidak-ada.js').catch(() => null)")
    page.wait_for_timeout(200)

    caught = "\n".join(browser_problems.problems)

    assert "uncaught JavaScript error" in caught and "rusak di halaman" in caught
    assert "answered 404: GET" in caught and "/static/tidak-ada.js" in caught
    browser_problems.problems.clear()  # caught as they should be: the test passes


def test_a_page_that_answers_404_is_not_a_broken_request(live_server, page, browser_problems):
    response = page.goto("/halaman-yang-tidak-ada/")

    assert response.status == 404
    assert browser_problems.problems == []
