"""Window reminders catch up: from the 25th to the month end (next month's window opens) and from the 8th
to the 10th (this month's closes), one reminder per organisation per window per kind, however many days
the job runs or misses — across month and year ends (China time)."""
import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosure import dates, jobs
from disclosure.enums import ItemState, ReminderKind
from disclosure.models import Reminder
from tests.disclosure import factories as df

D = datetime.date
days = st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31))
month_edges = st.builds(lambda d, k: d.replace(day=1) + datetime.timedelta(days=k), days, st.integers(-8, 12))
any_day = st.one_of(days, month_edges)


def _expected(day):
    """What the rule says, written independently of the code under test."""
    if day.day >= 25:
        nxt = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        return "opening", nxt
    if 8 <= day.day <= 10:
        return "closing", day.replace(day=1)
    return None


@given(any_day)
def test_window_reminder_days_property(day):
    assert dates.window_reminder(day) == _expected(day)


def test_window_reminder_crosses_the_year_end():
    assert dates.window_reminder(D(2026, 12, 31)) == ("opening", D(2027, 1, 1))
    assert dates.window_reminder(D(2027, 2, 28)) == ("opening", D(2027, 3, 1))
    assert dates.window_reminder(D(2028, 2, 29)) == ("opening", D(2028, 3, 1))
    assert dates.window_reminder(D(2027, 1, 10)) == ("closing", D(2027, 1, 1))
    assert [dates.window_reminder(D(2027, 1, n)) for n in (1, 7, 11, 24)] == [None] * 4


def _reminders():
    return sorted(Reminder.objects.values_list("organization_id", "kind", "period"))


@pytest.mark.django_db
def test_running_every_day_across_the_year_end_sends_each_reminder_once(org, entry):
    day = D(2026, 12, 20)
    while day <= D(2027, 1, 15):
        jobs.send_window_reminders(today=day)
        day += datetime.timedelta(days=1)
    assert _reminders() == [(org.pk, ReminderKind.WINDOW_CLOSING, D(2027, 1, 1)),
                            (org.pk, ReminderKind.WINDOW_OPENING, D(2027, 1, 1))]


@pytest.mark.django_db
@pytest.mark.parametrize("missed,caught_up,kind,period", [
    ((D(2026, 12, 25), D(2026, 12, 26)), D(2026, 12, 31), ReminderKind.WINDOW_OPENING, D(2027, 1, 1)),
    ((D(2027, 2, 25),), D(2027, 2, 28), ReminderKind.WINDOW_OPENING, D(2027, 3, 1)),
    ((D(2027, 1, 8),), D(2027, 1, 9), ReminderKind.WINDOW_CLOSING, D(2027, 1, 1)),
    ((D(2027, 1, 8), D(2027, 1, 9)), D(2027, 1, 10), ReminderKind.WINDOW_CLOSING, D(2027, 1, 1)),
])
def test_a_lost_run_is_caught_up_later_in_the_range(org, entry, missed, caught_up, kind, period):
    result = jobs.send_window_reminders(today=caught_up)
    assert result.count == 1
    assert _reminders() == [(org.pk, kind, period)]
    assert jobs.send_window_reminders(today=caught_up).ids == []


@pytest.mark.django_db
def test_nothing_after_the_window_has_closed_or_before_the_ranges(org, entry):
    for day in (D(2027, 1, 11), D(2027, 1, 24), D(2027, 1, 1), D(2027, 1, 7)):
        assert jobs.send_window_reminders(today=day).ids == []
    assert _reminders() == []


@pytest.mark.django_db
def test_an_organisation_that_scheduled_in_time_is_not_reminded_later(org, entry, other_org, other_entry):
    jobs.send_window_reminders(today=D(2026, 12, 25))
    df.ItemFactory(entry=other_entry, state=ItemState.APPROVED, publish_on=D(2027, 1, 4))
    jobs.send_window_reminders(today=D(2027, 1, 8))
    assert _reminders() == sorted([
        (org.pk, ReminderKind.WINDOW_OPENING, D(2027, 1, 1)), (other_org.pk, ReminderKind.WINDOW_OPENING, D(2027, 1, 1)),
        (org.pk, ReminderKind.WINDOW_CLOSING, D(2027, 1, 1)),
    ])


@pytest.mark.django_db
def test_dry_run_in_the_range_reports_only_organisations_not_yet_reminded(org, entry, other_org, other_entry):
    jobs.send_window_reminders(today=D(2026, 12, 25))
    assert jobs.send_window_reminders(today=D(2026, 12, 27), dry_run=True).ids == []


run_starts = st.dates(min_value=D(2025, 1, 1), max_value=D(2030, 12, 31)).map(
    lambda d: d.replace(day=1) - datetime.timedelta(days=d.day % 12))  # near month (and year) ends


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=run_starts, runs=st.lists(st.booleans(), min_size=1, max_size=45))
def test_reminders_once_per_window_and_kind_whatever_days_the_job_runs(org, entry, start, runs):
    Reminder.objects.all().delete()  # each example starts afresh (the examples share one test transaction)
    expected = set()
    for offset, runs_today in enumerate(runs):
        day = start + datetime.timedelta(days=offset)
        if not runs_today:
            continue
        jobs.send_window_reminders(today=day)
        due = _expected(day)
        if due:
            kind = ReminderKind.WINDOW_OPENING if due[0] == "opening" else ReminderKind.WINDOW_CLOSING
            expected.add((org.pk, kind, due[1]))
    assert _reminders() == sorted(expected)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_catch_up_runs_on_different_days_at_once_remind_once(org, other_org):
    import itertools

    from tests.disclosure.test_jobs import _run_in_threads

    for o in (org, other_org):
        df.EntryFactory(organization=o)
    days = itertools.cycle([D(2026, 6, 26), D(2026, 6, 27), D(2026, 6, 30), D(2026, 6, 28)])
    _run_in_threads(lambda: jobs.send_window_reminders(today=next(days)))
    assert sorted(Reminder.objects.values_list("organization_id", "kind", "period")) == sorted(
        [(org.pk, ReminderKind.WINDOW_OPENING, D(2026, 7, 1)), (other_org.pk, ReminderKind.WINDOW_OPENING, D(2026, 7, 1))])
