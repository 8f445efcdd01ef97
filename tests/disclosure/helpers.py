"""Helpers the disclosure tests share: China-time travel, API clients, items through the services, and
reading pages and workbooks."""
import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import time_machine
from openpyxl import load_workbook
from rest_framework.test import APIClient

from disclosure import services
from disclosure.enums import EvidenceKind, TimeType
from tests.disclosure import factories as df

D = datetime.date
SH = ZoneInfo("Asia/Shanghai")


def at(day, hour=10):
    """Travel to `day` at `hour` o'clock China time (the clock stands still)."""
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SH), tick=False)


def api(user=None):
    """An API client, signed in as `user` (anonymous when None)."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def make_item(org_user, entry, **kw):
    """A draft through services.item_create, for the June 2026 window unless told otherwise."""
    kw.setdefault("title", "2026年5月党费收缴情况")
    kw.setdefault("content", "应缴12人，实缴12人。")
    kw.setdefault("publish_on", D(2026, 6, 3))
    kw.setdefault("display_until", D(2026, 6, 30))
    return services.item_create(actor=org_user, entry_id=entry.pk, **kw)


def approve(item, org_user, county_user):
    """Submit, pass the initial review and the office's review (R14)."""
    services.item_submit(actor=org_user, item_id=item.pk)
    services.item_initial_review(actor=org_user, item_id=item.pk, approve=True, check_content=True,
                                 check_scope=True, check_form=True, check_timing=True)
    return services.item_review(actor=county_user, item_id=item.pk, approve=True)


def record_evidence(org_user, item, carrier, **kw):
    """Proof of publication on `carrier` (None: without a carrier) through the service."""
    kw.setdefault("kind", EvidenceKind.PHOTO)
    kw.setdefault("note", "已拍照存档")
    return services.item_record_evidence(actor=org_user, item_id=item.pk, carrier_id=carrier.pk if carrier else None,
                                         **kw)


def series_of_three(entry):
    """R15: a repeated series — two stages published, the third planned."""
    first = df.published_item(D(2026, 4, 2), entry=entry, title="第一期：项目立项情况", time_type=TimeType.REPEATED)
    second = df.published_item(D(2026, 5, 3), entry=entry, title="第二期：资金使用情况", time_type=TimeType.REPEATED,
                               previous=first, series=first)
    third = df.ItemFactory(entry=entry, title="第三期：验收情况", time_type=TimeType.REPEATED, previous=second,
                           series=first, publish_on=D(2026, 6, 2), display_until=D(2026, 6, 30))
    return first, second, third


def report_twice(org_user, county_user, notice):
    """R20: the organisation reports, the office sends it back, the organisation reports again."""
    services.rectification_report(actor=org_user, rectification_id=notice.pk, report="已补贴公开栏照片。")
    services.rectification_check(actor=county_user, rectification_id=notice.pk, accept=False, note="照片看不清日期。")
    services.rectification_report(actor=org_user, rectification_id=notice.pk, report="已重新拍照，照片带日期水印。")


def window_reminder_expected(day):
    """Which window reminder is due on `day`, as the rule says it, written independently of the code under test."""
    if day.day >= 25:
        nxt = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        return "opening", nxt
    if 8 <= day.day <= 10:
        return "closing", day.replace(day=1)
    return None


def entry_row(body, entry):
    """The catalogue table row of `entry` in a page."""
    return body.split(f'id="entry-{entry.pk}"', 1)[1].split("</tr>", 1)[0]


def export_rows(response, sheet=0):
    """The rows of one sheet of an Excel answer, and the workbook's sheet names."""
    workbook = load_workbook(BytesIO(response.content))
    return list(workbook.worksheets[sheet].iter_rows(values_only=True)), workbook.sheetnames
