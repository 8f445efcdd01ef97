import datetime

import pytest

from qujing_disclosure.core.models import AuditEntry
from qujing_disclosure.core.services import calendar_day_set
from qujing_disclosure.core.workdays import WorkdayCalendar, load_calendar

D = datetime.date


def test_weekend_is_skipped():
    cal = WorkdayCalendar()
    # Friday 2026-11-27 + 1 working day = Monday 2026-11-30, crossing a weekend and a month end.
    deadline = cal.add_working_days(D(2026, 11, 27), 1)
    assert deadline.due == D(2026, 11, 30)
    assert "跳过周末 2 天" in deadline.explanation


def test_national_day_holidays_and_make_up_day():
    cal = WorkdayCalendar()
    # 2026-09-30 (Wed) + 1: Oct 1–7 are holidays (Oct 3/4 weekend), Oct 8 is the next working day.
    assert cal.add_working_days(D(2026, 9, 30), 1).due == D(2026, 10, 8)
    # Sunday 2026-09-20 is a make-up working day (调休上班).
    assert cal.is_working_day(D(2026, 9, 20)) is True
    explanation = cal.add_working_days(D(2026, 9, 30), 1).explanation
    assert "国庆节" in explanation


def test_crosses_year_end_with_new_year_holiday():
    cal = WorkdayCalendar()
    # Thu 2026-12-31 + 1: 2027-01-01 (Fri) is New Year's Day, then the weekend → Mon 2027-01-04.
    assert cal.add_working_days(D(2026, 12, 31), 1).due == D(2027, 1, 4)


def test_zero_days_is_start():
    assert WorkdayCalendar().add_working_days(D(2026, 5, 6), 0).due == D(2026, 5, 6)


def test_working_days_between():
    cal = WorkdayCalendar()
    assert cal.working_days_between(D(2026, 11, 27), D(2026, 12, 4)) == 5


@pytest.mark.django_db
def test_staff_correction_moves_open_deadlines(municipal):
    received = D(2026, 11, 27)
    assert load_calendar().add_working_days(received, 1).due == D(2026, 11, 30)
    # The office learns Monday 30 Nov is a local rest day: the open deadline moves to Tuesday.
    calendar_day_set(actor=municipal, date=D(2026, 11, 30), is_working_day=False, name="地方调休", note="市政府通知")
    deadline = load_calendar().add_working_days(received, 1)
    assert deadline.due == D(2026, 12, 1)
    assert "地方调休" in deadline.explanation
    entry = AuditEntry.objects.get(action="core.calendar.set")
    assert (entry.actor, entry.to_state, entry.reason) == (municipal, "rest", "市政府通知")


@pytest.mark.django_db
def test_only_municipal_staff_correct_the_calendar(county_user):
    from qujing_disclosure.core.errors import NotPermitted

    with pytest.raises(NotPermitted) as refused:
        calendar_day_set(actor=county_user, date=D(2026, 11, 30), is_working_day=False, name="x")
    assert refused.value.code == "forbidden"
    assert not AuditEntry.objects.exists()
