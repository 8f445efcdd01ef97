"""China's official working-day calendar, shared by every deadline in the project.

Base: the `holidays` package's China calendar (public holidays and the make-up
working days on weekends, 调休上班). Staff corrections (core.CalendarDay) win over
the base. Deadlines are computed when read — never stored — so correcting the
calendar moves every open deadline.

    calendar = load_calendar()              # one query
    deadline = calendar.add_working_days(received_on, 5)
    deadline.due, deadline.explanation
"""
import datetime
from dataclasses import dataclass, field
from functools import lru_cache

import holidays
from django.utils.translation import gettext as _


@lru_cache(maxsize=1)
def _base_calendar():
    return holidays.China(language="zh_CN")


@dataclass(frozen=True)
class Deadline:
    start: datetime.date
    working_days: int
    due: datetime.date
    skipped: tuple = field(default=())  # ((date, reason), ...) non-working days passed over

    @property
    def explanation(self):
        """How the deadline was worked out, in words a person can check."""
        text = _("自 %(start)s 起算 %(n)d 个工作日，截止 %(due)s（北京时间）") % {
            "start": self.start.isoformat(), "n": self.working_days, "due": self.due.isoformat(),
        }
        holidays_skipped = [f"{d:%m-%d}{reason}" for d, reason in self.skipped if reason != _("周末")]
        weekends = sum(1 for _d, reason in self.skipped if reason == _("周末"))
        parts = []
        if weekends:
            parts.append(_("跳过周末 %(n)d 天") % {"n": weekends})
        if holidays_skipped:
            parts.append(_("跳过节假日：%(days)s") % {"days": _("、").join(holidays_skipped)})
        separator = _("；")
        return text + (separator + separator.join(parts) if parts else "") + _("。")


class WorkdayCalendar:
    def __init__(self, overrides=None):
        # {date: (is_working_day, name)}
        self.overrides = overrides or {}

    def day_kind(self, day):
        """(is_working_day, reason) for one date."""
        if day in self.overrides:
            working, name = self.overrides[day]
            return working, name
        base = _base_calendar()
        name = base.get(day)
        if name:
            return False, name
        if day in base.weekend_workdays:
            return True, _("调休上班")
        if day.weekday() >= 5:
            return False, _("周末")
        return True, ""

    def is_working_day(self, day):
        return self.day_kind(day)[0]

    def add_working_days(self, start, n):
        """The n-th working day after `start` (start itself is not counted)."""
        if n < 0:
            raise ValueError("n must be >= 0")
        day, counted, skipped = start, 0, []
        while counted < n:
            day += datetime.timedelta(days=1)
            working, reason = self.day_kind(day)
            if working:
                counted += 1
            else:
                skipped.append((day, reason))
        return Deadline(start=start, working_days=n, due=day, skipped=tuple(skipped))

    def working_days_between(self, start, end):
        """Working days in (start, end]."""
        count, day = 0, start
        while day < end:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


def load_calendar():
    """The calendar with staff corrections applied (one query)."""
    from .models import CalendarDay

    return WorkdayCalendar(
        {row.date: (row.is_working_day, row.name) for row in CalendarDay.objects.only("date", "is_working_day", "name")}
    )
