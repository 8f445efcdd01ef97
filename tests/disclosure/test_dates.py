"""Property-based tests of the pure date logic (R16 window, R17 display, window reminders), across month
and year ends."""
import datetime

from hypothesis import given, strategies as st

from disclosure import dates
from disclosure.enums import Cadence
from tests.disclosure.helpers import D, window_reminder_expected


days = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2099, 12, 31))


month_edges = st.builds(
    lambda d, k: d.replace(day=1) - datetime.timedelta(days=k) if k >= 0 else d.replace(day=1) + datetime.timedelta(days=-k),
    days, st.integers(-3, 3),
)


any_day = st.one_of(days, month_edges)


@given(any_day)
def test_r16_next_valid_date_is_in_window_and_not_earlier(day):
    nxt = dates.next_valid_publish_date(day)
    assert dates.in_window(nxt)
    assert nxt >= day


@given(any_day)
def test_r16_next_valid_date_is_the_earliest(day):
    nxt = dates.next_valid_publish_date(day)
    probe = day
    while probe < nxt:
        assert not dates.in_window(probe)
        probe += datetime.timedelta(days=1)


@given(any_day)
def test_r16_window_day_is_its_own_next_valid_date(day):
    if dates.in_window(day):
        assert dates.next_valid_publish_date(day) == day
    else:
        assert dates.next_valid_publish_date(day) == dates.add_months(day, 1)


@given(any_day, any_day)
def test_r16_next_valid_date_never_before_today(day, today):
    nxt = dates.next_valid_publish_date(day, today=today)
    assert nxt >= today and nxt >= day and dates.in_window(nxt)


@given(any_day)
def test_r16_window_is_first_to_tenth(day):
    assert dates.in_window(day) == (1 <= day.day <= 10)


@given(any_day, st.integers(-30, 30))
def test_add_months_lands_on_first_of_month(day, months):
    result = dates.add_months(day, months)
    assert result.day == 1
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months


@given(any_day, st.integers(0, 60))
def test_r17_display_end_rule(published_on, length):
    display_until = published_on + datetime.timedelta(days=length)
    assert dates.display_is_long_enough(published_on, display_until) == (length >= 15)


@given(any_day, st.integers(0, 60))
def test_r17_never_leaves_display_before_15_days(published_on, age):
    today = published_on + datetime.timedelta(days=age)
    assert dates.may_leave_display(published_on, today) == (age >= 15)


@given(any_day, st.integers(-5, 60), st.integers(0, 80), st.booleans())
def test_r17_archive_due_only_after_15_days_and_after_end(published_on, length, age, superseded):
    display_until = published_on + datetime.timedelta(days=length)
    today = published_on + datetime.timedelta(days=age)
    due = dates.archive_due(published_on, display_until, today, superseded=superseded)
    if due:
        assert age >= 15
        assert superseded or today > display_until
    if age > max(length, 15):
        assert due


@given(any_day, st.integers(0, 80))
def test_r17_long_term_item_without_end_stays_until_replaced(published_on, age):
    today = published_on + datetime.timedelta(days=age)
    assert not dates.archive_due(published_on, None, today)
    assert dates.archive_due(published_on, None, today, superseded=True) == (age >= 15)


@given(any_day)
def test_due_by_is_window_end_for_staged_and_same_day_for_prompt(day):
    publish_on = dates.next_valid_publish_date(day)
    assert dates.due_by(publish_on, prompt=False) == publish_on.replace(day=10)
    assert dates.due_by(day, prompt=True) == day


@given(any_day)
def test_last_months_are_twelve_consecutive_month_starts(today):
    months = dates.last_months(today)
    assert len(months) == 12
    assert months[-1] == today.replace(day=1)
    for a, b in zip(months, months[1:], strict=False):
        assert dates.add_months(a, 1) == b


def test_cadences():
    assert dates.entry_due_in(Cadence.QUARTERLY, datetime.date(2026, 4, 1))
    assert not dates.entry_due_in(Cadence.QUARTERLY, datetime.date(2026, 5, 1))
    assert not dates.entry_due_in(Cadence.AS_NEEDED, datetime.date(2026, 1, 1))
    assert dates.next_valid_publish_date(datetime.date(2026, 12, 11)) == datetime.date(2027, 1, 1)


# --- window reminders: from the 25th (opening) and from the 8th to the 10th (closing) ------------


reminder_days = st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31))


reminder_month_edges = st.builds(lambda d, k: d.replace(day=1) + datetime.timedelta(days=k), reminder_days, st.integers(-8, 12))


reminder_day = st.one_of(reminder_days, reminder_month_edges)


@given(reminder_day)
def test_window_reminder_days_property(day):
    assert dates.window_reminder(day) == window_reminder_expected(day)


def test_window_reminder_crosses_the_year_end():
    assert dates.window_reminder(D(2026, 12, 31)) == ("opening", D(2027, 1, 1))
    assert dates.window_reminder(D(2027, 2, 28)) == ("opening", D(2027, 3, 1))
    assert dates.window_reminder(D(2028, 2, 29)) == ("opening", D(2028, 3, 1))
    assert dates.window_reminder(D(2027, 1, 10)) == ("closing", D(2027, 1, 1))
    assert [dates.window_reminder(D(2027, 1, n)) for n in (1, 7, 11, 24)] == [None] * 4
