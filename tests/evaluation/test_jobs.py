"""The publicity sweeper (evaluation.jobs.close_due_publicities), its management command and its Celery task."""
import datetime

import pytest
import time_machine
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
