import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_down(client, monkeypatch):
    from qujing_disclosure.core import views

    monkeypatch.setattr(views, "_broker_ok", lambda: (False, "ConnectionError"))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == {"ok": False, "error": "ConnectionError"}


def test_china_time_and_chinese_first():
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]


def test_production_settings_pass_check_deploy():
    env = {
        "DJANGO_SETTINGS_MODULE": "qujing_disclosure.settings.production",
        "DJANGO_SECRET_KEY": "x" * 20 + "production-secret-key-for-the-check-only-0123456789",
        "DJANGO_ALLOWED_HOSTS": "disclosure.example.org",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db(transaction=True)
def test_tasks_are_enqueued_only_after_commit(monkeypatch):
    """Celery wiring: a task sent with on_commit does not leave before the transaction commits."""
    sent = []
    with transaction.atomic():
        transaction.on_commit(lambda: sent.append("sent"))
        assert sent == []
    assert sent == ["sent"]


def test_beat_schedules_are_merged_from_apps():
    from qujing_disclosure.celery import app

    app.finalize()
    import importlib

    expected = {}
    for label in ("sites", "evaluation", "disclosure"):
        try:
            expected.update(getattr(importlib.import_module(f"{label}.tasks"), "BEAT_SCHEDULE", {}))
        except ModuleNotFoundError:
            pass
    assert set(expected) <= set(app.conf.beat_schedule)
