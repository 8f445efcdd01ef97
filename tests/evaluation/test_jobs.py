"""The publicity sweeper (evaluation.jobs.close_due_publicities), its management command and its Celery task."""
import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from evaluation import jobs, services
from evaluation.enums import PublicityStatus
from qujing_disclosure.core.models import AuditEntry

from .factories import (
    SHANGHAI,
    listed_round,
    open_publicity,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("ends_on, closes_at", [
    (datetime.date(2026, 11, 30), datetime.datetime(2026, 12, 1, 0, 0, 30, tzinfo=SHANGHAI)),
    (datetime.date(2026, 12, 31), datetime.datetime(2027, 1, 1, 0, 0, 30, tzinfo=SHANGHAI)),
])
def test_r8_publicity_closes_after_its_last_day_in_shanghai(candidate, eval_round, municipal, panel, ends_on, closes_at):
    with time_machine.travel(datetime.datetime.combine(ends_on - datetime.timedelta(days=6), datetime.time(9), tzinfo=SHANGHAI), tick=False):
        listed_round(eval_round, candidate, municipal, evaluators=panel[:1])
        publicity = services.publicity_open(actor=municipal, round_id=eval_round.pk, starts_on=timezone.localdate(), ends_on=ends_on)
    # 23:59 on the last day in Shanghai is 15:59 UTC: still open.
    with time_machine.travel(closes_at - datetime.timedelta(minutes=1), tick=False):
        assert jobs.close_due_publicities().ids == []
    with time_machine.travel(closes_at, tick=False):
        assert jobs.close_due_publicities().ids == [publicity.pk]
        assert jobs.close_due_publicities().ids == []  # idempotent
    publicity.refresh_from_db()
    assert publicity.status == PublicityStatus.CLOSED
    assert AuditEntry.objects.filter(action="evaluation.publicity.close").count() == 1


def test_close_task_runs_the_sweeper(candidate, eval_round, municipal, panel):
    from evaluation.tasks import close_due_publicities

    publicity = open_publicity(eval_round, candidate, municipal, panel)
    with time_machine.travel(publicity.ends_on + datetime.timedelta(days=1)):
        assert close_due_publicities.delay().get() == 1


def test_the_sweeper_closes_and_audits_exactly_the_due_publicities(candidate, eval_round, municipal, panel):
    due = open_publicity(eval_round, candidate, municipal, panel)
    day_after = due.ends_on + datetime.timedelta(days=1)
    with time_machine.travel(datetime.datetime.combine(day_after, datetime.time(9), SHANGHAI), tick=False):
        result = jobs.close_due_publicities()
        again = jobs.close_due_publicities()
    assert (result.ids, result.today, result.dry_run, again.ids) == ([due.pk], day_after, False, [])
    [entry] = AuditEntry.objects.filter(action="evaluation.publicity.close")
    assert (entry.object_id, entry.actor, entry.from_state, entry.to_state, entry.data) == (
        str(due.pk), None, "open", "closed", {"job": "close_due_publicities", "date": day_after.isoformat()})


def test_a_dry_run_changes_nothing_and_names_what_it_would_close(candidate, eval_round, municipal, panel):
    due = open_publicity(eval_round, candidate, municipal, panel)
    result = jobs.close_due_publicities(today=due.ends_on + datetime.timedelta(days=1), dry_run=True)
    due.refresh_from_db()
    assert (result.ids, result.dry_run, due.status) == ([due.pk], True, PublicityStatus.OPEN)
    assert not AuditEntry.objects.filter(action="evaluation.publicity.close").exists()


def test_the_command_judges_the_given_date_with_a_dry_run_first(candidate, eval_round, municipal, panel):
    due = open_publicity(eval_round, candidate, municipal, panel)
    on_last_day, day_after = due.ends_on.isoformat(), (due.ends_on + datetime.timedelta(days=1)).isoformat()
    out = StringIO()
    call_command("evaluation_close_publicities", "--date", on_last_day, stdout=out)
    assert out.getvalue() == f"close_due_publicities {on_last_day}: changed 0\n"
    out = StringIO()
    call_command("evaluation_close_publicities", "--date", day_after, "--dry-run", stdout=out)
    assert out.getvalue() == f"close_due_publicities {day_after}: would change 1\nids: {due.pk}\n"
    call_command("evaluation_close_publicities", "--date", day_after, stdout=StringIO())
    due.refresh_from_db()
    assert due.status == PublicityStatus.CLOSED


def test_the_command_refuses_a_malformed_date():
    with pytest.raises(CommandError, match="--date"):
        call_command("evaluation_close_publicities", "--date", "2026-13-01")
