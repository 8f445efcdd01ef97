"""Probes (/ping liveness, /healthz readiness) and the settings an operator relies on."""
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings

from qujing_disclosure.core import health
from tests.deploy.helpers import blackhole

ROOT = Path(__file__).resolve().parents[2]
PROD_SECRET = "x" * 20 + "production-secret-key-for-the-check-only-0123456789"


def prod_env(**overrides):
    env = {
        "DJANGO_SETTINGS_MODULE": "qujing_disclosure.settings.production",
        "DJANGO_SECRET_KEY": PROD_SECRET,
        "DJANGO_ALLOWED_HOSTS": "disclosure.example.org",
        "REDIS_URL": "redis://127.0.0.1:6399/0",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6399/1",
        "MEDIA_STORAGE": "s3",
        "S3_BUCKET": "qujing-uploads",
        "S3_ACCESS_KEY_ID": "key",
        "S3_SECRET_ACCESS_KEY": "secret",
        "S3_ENDPOINT_URL": "http://127.0.0.1:9000",
        "STATE_DIR": "/nonexistent/qujing-state",
        "PATH": "/usr/bin:/bin",
    }
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def run_django(code, env):
    return subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


# --- /healthz --------------------------------------------------------------------------------

@pytest.mark.django_db
def test_healthz_reports_database_broker_cache_and_storage(client):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "cache", "storage"}
    assert all(check["ok"] for check in body["checks"].values())
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_down(client, monkeypatch):
    def broker_down():
        raise ConnectionError("refused")

    monkeypatch.setitem(health.CHECKS, "broker", broker_down)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    broker = response.json()["checks"]["broker"]
    assert (broker["ok"], broker["error"]) == (False, "ConnectionError")


@pytest.mark.django_db
def test_healthz_answers_within_a_second_when_a_check_hangs(client, monkeypatch):
    monkeypatch.setitem(health.CHECKS, "storage", lambda: time.sleep(3))
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 1.0
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == {"ok": False, "error": "timeout"}
    assert response.json()["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_healthz_reports_a_hung_redis_cache_and_broker_within_a_second(client):
    with blackhole() as port:
        url = f"redis://127.0.0.1:{port}/0"
        caches = {"default": {"BACKEND": "qujing_disclosure.core.cache_backends.ResilientRedisCache", "LOCATION": url,
                              "OPTIONS": {"socket_timeout": 0.25, "socket_connect_timeout": 0.25}}}
        with override_settings(CACHES=caches, CELERY_BROKER_URL=url):
            started = time.monotonic()
            response = client.get("/healthz")
            elapsed = time.monotonic() - started
    checks = response.json()["checks"]
    assert elapsed < 1.0
    assert response.status_code == 503
    assert checks["cache"]["ok"] is False and checks["broker"]["ok"] is False
    assert checks["database"]["ok"] is True


# --- /ping and the probes' exemptions ---------------------------------------------------------

def test_ping_does_no_io(client, monkeypatch):
    """No django_db mark: any database access would raise; the cache and storage would fail the test."""
    from django.core.cache import cache
    from django.core.files.storage import default_storage

    monkeypatch.setattr(cache, "get", lambda *a, **k: pytest.fail("ping read the cache"))
    monkeypatch.setattr(default_storage, "exists", lambda *a, **k: pytest.fail("ping touched the storage"))
    response = client.get("/ping")
    assert (response.status_code, response.content) == (200, b"ok")
    assert response.cookies == {}


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["disclosure.example.org"])
def test_probes_answer_plain_http_by_address_while_pages_redirect(client):
    assert client.get("/ping", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/sites/", HTTP_HOST="disclosure.example.org").status_code == 301


# --- settings ---------------------------------------------------------------------------------

def test_china_time_and_chinese_first():
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]


def test_production_settings_pass_check_deploy():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=prod_env(), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(("overrides", "message"), [
    ({"DJANGO_SECRET_KEY": ""}, "DJANGO_SECRET_KEY is empty"),
    ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY is empty"),
    ({"DJANGO_DEBUG": "true"}, "DJANGO_DEBUG must be false"),
    ({"REDIS_URL": None}, "REDIS_URL is required"),
    ({"CELERY_BROKER_URL": None}, "CELERY_BROKER_URL must name a broker server"),
    ({"MEDIA_STORAGE": None}, "MEDIA_STORAGE must be s3"),
    ({"S3_BUCKET": None}, "MEDIA_STORAGE=s3 needs S3_BUCKET"),
    ({"MEDIA_STORAGE": "filesystem"}, "MEDIA_STORAGE=filesystem needs MEDIA_ROOT"),
])
def test_production_settings_refuse_to_start_without(overrides, message):
    result = run_django("", prod_env(**overrides))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_production_settings_take_smtp_from_email_url():
    env = prod_env(EMAIL_URL="smtp+tls://mailer:s3cret@smtp.example.org:587", MEDIA_STORAGE="filesystem",
                   MEDIA_ROOT="/srv/qujing/media")
    code = ("from django.conf import settings as s; "
            "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS,"
            " s.DATABASES['default']['CONN_MAX_AGE'], s.DATABASES['default']['CONN_HEALTH_CHECKS'], s.MEDIA_ROOT)")
    result = run_django(code, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.core.mail.backends.smtp.EmailBackend", "smtp.example.org", "587", "mailer",
                                     "s3cret", "True", "60", "True", "/srv/qujing/media"]


def test_importing_settings_creates_no_folder(tmp_path):
    state = tmp_path / "state-not-created"
    env = {"DJANGO_SETTINGS_MODULE": "qujing_disclosure.settings", "STATE_DIR": str(state), "PATH": "/usr/bin:/bin"}
    result = run_django("from django.conf import settings as s; print(s.MEDIA_ROOT, s.CELERY_BROKER_FOLDER)", env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(state / "media"), str(state / "broker")]
    assert not state.exists()


def _setting_names_read_from_the_environment():
    names = set()
    for path in (ROOT / "qujing_disclosure" / "settings").glob("*.py"):
        names |= set(re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]+)\"", path.read_text()))
    return names


def test_readme_configuration_table_lists_every_setting_read_from_the_environment():
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", "\n".join(l for l in table.splitlines() if l.startswith("|"))))
    read = _setting_names_read_from_the_environment()
    assert len(read) > 40
    assert sorted(read - documented) == []


# --- Celery wiring ----------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_tasks_are_enqueued_only_after_commit():
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


def test_workers_requeue_idempotent_tasks_whose_process_dies():
    from qujing_disclosure.celery import app

    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.beat_scheduler == "qujing_disclosure.core.beat:SingleBeatScheduler"
    assert settings.CELERY_VISIBILITY_TIMEOUT > settings.CELERY_TASK_TIME_LIMIT
    late = {name for name, task in app.tasks.items() if getattr(task, "acks_late", False)}
    assert "disclosure.publish_due_items" in late
    assert "core.send_mail" not in late  # sending is not idempotent
