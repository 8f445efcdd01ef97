"""Writes to the shared core tables."""
from django.db import transaction

from .access import is_municipal
from .audit import audit_record
from .errors import NotPermitted
from .models import CalendarDay


@transaction.atomic
def calendar_day_set(*, actor, date, is_working_day, name, note=""):
    """Add or correct one day of the working-day calendar (municipal office). Moves open deadlines."""
    if actor is not None and not is_municipal(actor):
        raise NotPermitted()
    day = CalendarDay.objects.select_for_update().filter(date=date).first()
    before = None if day is None else {"is_working_day": day.is_working_day, "name": day.name}
    if day is None:
        day = CalendarDay(date=date)
    elif before == {"is_working_day": is_working_day, "name": name} and day.note == note:
        return day
    day.is_working_day, day.name, day.note, day.updated_by = is_working_day, name, note, actor
    day.save()
    audit_record(
        actor=actor, action="core.calendar.set", target=day,
        from_state="" if before is None else ("working" if before["is_working_day"] else "rest"),
        to_state="working" if is_working_day else "rest", reason=note, data={"date": date.isoformat(), "name": name},
    )
    return day
