"""Signing in to the portal: lockout after repeated failures (django-axes) and idle session expiry."""
import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from tests import factories as f

PASSWORD = "pass-Word-123"  # tests.factories.UserFactory
BEIJING = datetime.timezone(datetime.timedelta(hours=8))


@pytest.fixture
def user(county):
    return f.county_user(county, username="qilin_login")


def _login(client, username, password):
    return client.post(reverse("portal:login"), {"username": username, "password": password})


def test_correct_password_signs_in_to_the_dashboard(client, user):
    response = _login(client, "qilin_login", PASSWORD)

    assert (response.status_code, response.url) == (302, reverse("portal:dashboard"))
    assert client.get(reverse("portal:dashboard")).status_code == 200


def test_wrong_password_shows_a_chinese_error(client, user):
    response = _login(client, "qilin_login", "wrong")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "请输入一个正确的用户名和密码" in response.content.decode()


def test_five_failed_logins_lock_the_account(client, user):
    assert settings.AXES_FAILURE_LIMIT == 5
    statuses = [_login(client, "qilin_login", f"wrong-{i}").status_code for i in range(5)]

    response = _login(client, "qilin_login", PASSWORD)

    assert statuses == [200, 200, 200, 200, 429]
    assert response.status_code == 429
    assert "账户已暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("portal:dashboard")).status_code == 302


def test_lockout_is_per_account_not_for_everyone(client, user, county):
    f.county_user(county, username="qilin_colleague")
    for i in range(5):
        _login(client, "qilin_login", f"wrong-{i}")

    response = _login(client, "qilin_colleague", PASSWORD)

    assert (response.status_code, response.url) == (302, reverse("portal:dashboard"))


def test_lockout_ends_after_the_cool_off(client, user):
    start = datetime.datetime(2026, 5, 6, 9, 0, tzinfo=BEIJING)
    with time_machine.travel(start, tick=False):
        for i in range(5):
            _login(client, "qilin_login", f"wrong-{i}")
        assert _login(client, "qilin_login", PASSWORD).status_code == 429
    with time_machine.travel(start + settings.AXES_COOLOFF_TIME + datetime.timedelta(minutes=1), tick=False):
        response = _login(client, "qilin_login", PASSWORD)

    assert (response.status_code, response.url) == (302, reverse("portal:dashboard"))


def test_each_request_pushes_the_session_expiry_forward(client, user):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    idle = settings.SESSION_COOKIE_AGE
    start = datetime.datetime(2026, 5, 6, 9, 0, tzinfo=BEIJING)
    with time_machine.travel(start, tick=False):
        _login(client, "qilin_login", PASSWORD)
        first_expiry = client.session.get_expiry_date()
    assert first_expiry == start + datetime.timedelta(seconds=idle)

    later = start + datetime.timedelta(seconds=idle - 60)
    with time_machine.travel(later, tick=False):
        assert client.get(reverse("portal:dashboard")).status_code == 200
        pushed_expiry = client.session.get_expiry_date()

    assert pushed_expiry == later + datetime.timedelta(seconds=idle)


def test_active_session_outlives_the_idle_limit(client, user):
    idle = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    start = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=BEIJING)
    with time_machine.travel(start, tick=False):
        _login(client, "qilin_login", PASSWORD)
    # Three requests, each just inside the idle limit: 3 × (idle − 1 min) after login, still signed in.
    for step in range(1, 4):
        with time_machine.travel(start + step * (idle - datetime.timedelta(minutes=1)), tick=False):
            assert client.get(reverse("portal:dashboard")).status_code == 200


def test_idle_session_expires_and_redirects_to_login(client, user):
    idle = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    start = datetime.datetime(2026, 5, 6, 9, 0, tzinfo=BEIJING)
    with time_machine.travel(start, tick=False):
        _login(client, "qilin_login", PASSWORD)
    with time_machine.travel(start + idle + datetime.timedelta(seconds=1), tick=False):
        response = client.get(reverse("portal:dashboard"))

    assert (response.status_code, response.url) == (302, f"{reverse('portal:login')}?next={reverse('portal:dashboard')}")


def test_logout_is_post_only_and_ends_the_session(client, user):
    _login(client, "qilin_login", PASSWORD)

    assert client.get(reverse("portal:logout")).status_code == 405
    client.post(reverse("portal:logout"))

    assert client.get(reverse("portal:dashboard")).status_code == 302
