"""services.items: an item's four steps (R14) with the window (R16), display (R17), scope and forms (R13)
and series (R15) checked on the way; edits record old and new values."""
import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from disclosure import services
from qujing_disclosure.core.audit import history_for

D = datetime.date
SH = ZoneInfo("Asia/Shanghai")


def at(day, hour=10):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SH), tick=False)


def make_item(org_user, entry, **kw):
    kw.setdefault("title", "2026年5月党费收缴情况")
    kw.setdefault("content", "应缴12人，实缴12人。")
    kw.setdefault("publish_on", D(2026, 6, 3))
    kw.setdefault("display_until", D(2026, 6, 30))
    return services.item_create(actor=org_user, entry_id=entry.pk, **kw)


@pytest.mark.django_db
def test_item_edit_records_old_and_new_values_and_nothing_when_unchanged(org_user, entry):
    with at(D(2026, 5, 20)):
        item = make_item(org_user, entry)
        services.item_update(actor=org_user, item_id=item.pk, title="2026年5月党费收缴情况（更正）",
                             publish_on=D(2026, 6, 2))
        services.item_update(actor=org_user, item_id=item.pk, title="2026年5月党费收缴情况（更正）")
    assert [e.data for e in history_for(item) if e.action == "disclosure.item.update"] == [{"changes": {
        "title": {"old": "2026年5月党费收缴情况", "new": "2026年5月党费收缴情况（更正）"},
        "publish_on": {"old": "2026-06-03", "new": "2026-06-02"},
    }}]


@pytest.mark.django_db
def test_item_edit_may_clear_the_display_end_of_a_long_term_item(org_user, entry):
    with at(D(2026, 5, 20)):
        item = make_item(org_user, entry, time_type="long_term")
        item = services.item_update(actor=org_user, item_id=item.pk, display_until=None)
    assert item.display_until is None
