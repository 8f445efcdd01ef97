"""services.supervision: findings and rectification notices (R20); every report and send-back stays in
the record."""
import pytest

from disclosure import selectors, services
from disclosure.enums import FindingState, RectificationState
from qujing_disclosure.core.audit import history_for
from qujing_disclosure.core.errors import InvalidTransition, NotPermitted
from tests.disclosure import factories as df
from tests.disclosure.helpers import D, at, report_twice


@pytest.mark.django_db
def test_r20_inspection_problem_leads_to_rectification_workflow(org_user, county_user, other_county_user, entry):
    item = df.published_item(D(2026, 5, 3), entry=entry)
    with at(D(2026, 5, 12)):
        with pytest.raises(NotPermitted):
            services.item_inspect(actor=other_county_user, item_id=item.pk, result="problem", note="x")
        services.item_inspect(actor=county_user, item_id=item.pk, result="problem", note="公开栏未见该事项")
        finding = item.findings.get()
        notice = services.rectification_issue(actor=county_user, finding_id=finding.pk, requirement="立即张贴",
                                              deadline=D(2026, 5, 20))
        finding.refresh_from_db()
        assert finding.state == FindingState.NOTICE_ISSUED
        with pytest.raises(InvalidTransition, match="^整改通知当前状态为“待整改”，不能变更为“已销号”。$"):
            services.rectification_check(actor=county_user, rectification_id=notice.pk, accept=True)
        services.rectification_report(actor=org_user, rectification_id=notice.pk, report="已重新张贴并拍照")
        notice = services.rectification_check(actor=county_user, rectification_id=notice.pk, accept=False,
                                              note="照片不清晰")
        assert notice.state == RectificationState.RETURNED
        services.rectification_report(actor=org_user, rectification_id=notice.pk, report="已补充清晰照片")
        notice = services.rectification_check(actor=county_user, rectification_id=notice.pk, accept=True)
    assert notice.state == RectificationState.CLOSED
    assert selectors.rectification_is_overdue(notice) is False


@pytest.mark.django_db
def test_every_report_is_kept_in_the_record(org_user, county_user, notice):
    report_twice(org_user, county_user, notice)
    notice.refresh_from_db()
    assert notice.state == RectificationState.REPORTED
    assert notice.report == "已重新拍照，照片带日期水印。"
    reports = [(e.reason, e.data["report"]) for e in history_for(notice) if e.action == "disclosure.rectification.report"]
    assert reports == [("已补贴公开栏照片。",) * 2, ("已重新拍照，照片带日期水印。",) * 2]
