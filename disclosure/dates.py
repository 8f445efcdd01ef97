"""Pure date logic of the disclosure rules (R16 window, R17 display), judged in China time.

No database and no clock here: callers pass `today` (core.clock.today(), Asia/Shanghai),
so the property-based tests can walk across month and year ends. Its room is just above enums:
models, selectors, services and jobs use it, and it uses nothing but enums and settings
(the rooms contract in .importlinter holds it there).
"""
import datetime

from django.conf import settings

from .enums import CADENCE_MONTHS


def window_days():
    """(first, last) day of the monthly publication window (R16: 1–10)."""
    return settings.DISCLOSURE_WINDOW_FIRST_DAY, settings.DISCLOSURE_WINDOW_LAST_DAY


def min_display_days():
    return settings.DISCLOSURE_MIN_DISPLAY_DAYS


def in_window(day: datetime.date) -> bool:
    """R16: is `day` a publication day (the 1st–10th of its month)?"""
    first, last = window_days()
    return first <= day.day <= last


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` after `day`'s month."""
    index = day.year * 12 + (day.month - 1) + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def window_start(day: datetime.date) -> datetime.date:
    return day.replace(day=window_days()[0])


def window_end(day: datetime.date) -> datetime.date:
    """The last window day of `day`'s month."""
    return day.replace(day=window_days()[1])


def next_valid_publish_date(day: datetime.date, *, today: datetime.date | None = None) -> datetime.date:
    """R16: the earliest window day on or after `day` (and on or after `today` when given)."""
    if today is not None and day < today:
        day = today
    first, last = window_days()
    if day.day < first:
        return day.replace(day=first)
    if day.day <= last:
        return day
    return add_months(day, 1).replace(day=first)


def min_display_end(published_on: datetime.date) -> datetime.date:
    """R17: the earliest allowed display end: 15 days after publication."""
    return published_on + datetime.timedelta(days=min_display_days())


def display_is_long_enough(published_on: datetime.date, display_until: datetime.date) -> bool:
    return display_until >= min_display_end(published_on)


def may_leave_display(published_on: datetime.date, today: datetime.date) -> bool:
    """R17: an item may be withdrawn or archived once 15 days have passed since publication."""
    return today >= min_display_end(published_on)


def effective_display_end(published_on: datetime.date, display_until: datetime.date | None):
    """The last day on display: the asked-for end, but never fewer than 15 days (R17).

    None for long-term items with no end: they stay until replaced.
    """
    if display_until is None:
        return None
    return max(display_until, min_display_end(published_on))


def archive_due(published_on, display_until, today, *, superseded=False) -> bool:
    """Is an item on display due for archiving today? (display ended and 15 days passed)."""
    if not may_leave_display(published_on, today):
        return False
    if superseded:
        return True
    end = effective_display_end(published_on, display_until)
    return end is not None and today > end


def due_by(publish_on: datetime.date, *, prompt: bool) -> datetime.date:
    """The last day on which publishing still counts as on time: the window end of the asked-for
    month, or the asked-for day itself for prompt items (R15/R16)."""
    return publish_on if prompt else window_end(publish_on)


def entry_due_in(cadence: str, month_start: datetime.date) -> bool:
    """Is a catalogue entry of this cadence due in the month starting `month_start`?"""
    return month_start.month in CADENCE_MONTHS.get(cadence, frozenset())


def last_months(today: datetime.date, count: int = 12):
    """The first days of the `count` months ending with `today`'s month, oldest first."""
    return [add_months(today, -k) for k in range(count - 1, -1, -1)]


def window_reminder(today: datetime.date):
    """Which reminder the daily job sends today, as ("opening" | "closing", first day of the window's month),
    or None.

    Opening: any day from the 25th (setting) to the month end, for next month's window; closing: any day
    from the 8th (setting) to the window's last day (10th), for this month's. A run lost on the 25th or
    the 8th is caught up the next day; the reminder's uniqueness keeps it to one per window and kind.
    """
    first, last = window_days()
    if today.day >= settings.DISCLOSURE_REMIND_OPENING_DAY:
        return "opening", add_months(today, 1)
    if settings.DISCLOSURE_REMIND_CLOSING_DAY <= today.day <= last:
        return "closing", first_of_month(today)
    return None
