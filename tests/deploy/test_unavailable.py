"""A database outage is a 503 with a clear message, not a 500."""
import pytest
from django.db import OperationalError
from django.test import override_settings

from qujing_disclosure.core import views


@override_settings(DEBUG=False)
@pytest.mark.parametrize(("path", "marker"), [("/sites/", "系统正在恢复"), ("/api/v1/sites/", "Service temporarily unavailable")])
def test_a_database_outage_answers_503_with_retry_after(client, monkeypatch, path, marker):
    from sites.views import public

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection", down)
    client.raise_request_exception = False
    response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert marker in response.content.decode()


def test_any_other_error_is_still_a_500(rf):
    try:
        raise ValueError("a bug")
    except ValueError:
        response = views.server_error(rf.get("/"))
    assert response.status_code == 500
    assert "系统暂时出错" in response.content.decode()
