"""Mail leaves through Celery after the commit; a broker that refuses never breaks the request."""
import smtplib

import pytest
from django.core import mail
from django.db import transaction

from qujing_disclosure.core import queue
from qujing_disclosure.core.mail import send_mail_on_commit


@pytest.mark.django_db(transaction=True)
def test_mail_is_sent_by_the_task_after_the_commit():
    with transaction.atomic():
        assert send_mail_on_commit(subject="授牌通知", body="正文", recipients=["b@x.cn", "a@x.cn", "", "a@x.cn"]) is True
        assert mail.outbox == []
    assert [(m.subject, m.to) for m in mail.outbox] == [("授牌通知", ["a@x.cn", "b@x.cn"])]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_sends_no_mail():
    with pytest.raises(RuntimeError), transaction.atomic():
        send_mail_on_commit(subject="s", body="b", recipients=["a@x.cn"])
        raise RuntimeError("the change failed")
    assert mail.outbox == []


def test_nobody_to_write_to_sends_nothing():
    assert send_mail_on_commit(subject="s", body="b", recipients=["", None]) is False


def test_the_mail_task_retries_a_refusing_server():
    from qujing_disclosure.core.tasks import send_mail_task

    assert smtplib.SMTPException in send_mail_task.autoretry_for and OSError in send_mail_task.autoretry_for
    assert send_mail_task.max_retries >= 5


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_refuses_is_logged_and_the_request_carries_on(monkeypatch, caplog):
    from celery import current_app

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(current_app.tasks["core.send_mail"], "apply_async", refuse)
    with transaction.atomic():
        send_mail_on_commit(subject="公示异议已答复", body="b", recipients=["a@x.cn"])
    assert mail.outbox == []
    message = [r.getMessage() for r in caplog.records if r.name == queue.__name__][0]
    assert message.startswith("could not enqueue core.send_mail")
    assert "公示异议已答复" in message and "a@x.cn" in message  # enough for an operator to resend


def test_every_job_enqueued_by_name_is_also_run_by_a_beat_sweep():
    """What a failed enqueue drops, the next scheduled run of the same task picks up."""
    import re
    from pathlib import Path

    from qujing_disclosure.celery import app

    root = Path(__file__).resolve().parents[2]
    names = set()
    for path in root.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        names |= set(re.findall(r"enqueue_(?:on_commit|now)\(\s*\"([\w.]+)\"", path.read_text()))
    names.discard("core.send_mail")  # mail has no sweep: a failed enqueue is logged with its content
    app.finalize()
    swept = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "disclosure.publish_due_items" in names
    assert sorted(names - swept) == []
