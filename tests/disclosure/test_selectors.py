"""selectors: reads scoped to the user, the read helpers (deadlines, overdue, proof, series, the exchange
of a rectification) and the compliance figures for offices and the evaluation ranking (R6, R16–R20)."""
import datetime

import pytest

from disclosure import selectors, services
from disclosure.enums import Cadence, ComplianceMark, FeedbackState, FindingKind, RectificationState
from disclosure.models import Rectification, SatisfactionRating
from qujing_disclosure.core.audit import history_for
from tests import factories as f
from tests.disclosure import factories as df
from tests.disclosure.helpers import D, report_twice, series_of_three


@pytest.mark.django_db
def test_inspection_record_figures(org, other_org, django_assert_max_num_queries):
    entry = df.EntryFactory(organization=org)
    df.published_item(D(2026, 3, 2), entry=entry)                            # on time
    df.published_item(D(2026, 4, 12), entry=entry, publish_on=D(2026, 4, 3))  # late
    df.EntryFactory(organization=org, cadence=Cadence.AS_NEEDED)              # never used
    df.FindingFactory(organization=org, kind=FindingKind.MISSED, period=D(2026, 5, 1))
    df.FindingFactory(organization=org, kind=FindingKind.DISPLAY_BREACH, period=D(2026, 5, 1))
    df.FeedbackFactory(organization=org, received_on=D(2026, 6, 1), state=FeedbackState.ANSWERED, answer="a",
                       answered_on=D(2026, 6, 2))
    df.FeedbackFactory(organization=org, received_on=D(2026, 6, 1))          # open past deadline
    notice = df.RectificationFactory(finding=df.FindingFactory(organization=org, state="notice_issued"),
                                     deadline=D(2026, 6, 30))
    from disclosure.models import Rectification, SatisfactionRating

    Rectification.objects.filter(pk=notice.pk).update(issued_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC))
    for n, rating in enumerate(["satisfied", "basic", "dissatisfied", "satisfied"]):
        SatisfactionRating.objects.create(organization=org, jurisdiction=org.jurisdiction, month=D(2026, 6, 1),
                                          rating=rating, voter_hash=str(n))
    with django_assert_max_num_queries(8):
        record = selectors.inspection_record_for([org.pk, other_org.pk], year=2026, today=D(2026, 11, 25))
    r = record[org.pk]
    assert (r["published"], r["on_time"], r["late"], r["on_time_rate"]) == (2, 1, 1, 0.5)
    assert (r["missed"], r["display_breaches"], r["findings"]) == (1, 1, 3)
    assert (r["entries"], r["entries_covered"], r["coverage_rate"]) == (2, 1, 0.5)
    assert (r["feedback"], r["feedback_answered_in_time"], r["feedback_overdue"]) == (2, 1, 1)
    assert (r["rectifications"], r["rectifications_open"], r["rectifications_overdue"]) == (1, 1, 1)
    assert r["satisfaction"] == {"satisfied": 2, "basic": 1, "dissatisfied": 1, "total": 4, "rate": 0.75}
    assert record[other_org.pk]["published"] == 0
    assert record[other_org.pk]["on_time_rate"] is None


@pytest.mark.django_db
def test_inspection_record_query_count_does_not_grow_with_organisations(county, django_assert_max_num_queries):
    orgs = [f.OrganizationFactory(jurisdiction=county) for _i in range(20)]
    for o in orgs:
        e = df.EntryFactory(organization=o)
        df.published_item(D(2026, 3, 2), entry=e)
        df.FeedbackFactory(organization=o, received_on=D(2026, 3, 3))
    with django_assert_max_num_queries(8):
        selectors.inspection_record_for([o.pk for o in orgs], year=2026)


@pytest.mark.django_db
def test_compliance_calendar_marks(org):
    monthly = df.EntryFactory(organization=org)
    df.published_item(D(2026, 9, 3), entry=monthly)                              # on time
    df.published_item(D(2026, 10, 15), entry=monthly, publish_on=D(2026, 10, 5))  # late
    # November: nothing yet, and the window closed on the 10th → missed.
    marks = dict(selectors.compliance_calendar([org.pk], today=D(2026, 11, 25))[org.pk])
    assert marks[D(2026, 9, 1)] == ComplianceMark.ON_TIME
    assert marks[D(2026, 10, 1)] == ComplianceMark.LATE
    assert marks[D(2026, 11, 1)] == ComplianceMark.MISSED
    # While the window is still open, the running month is not yet missed.
    early = dict(selectors.compliance_calendar([org.pk], today=D(2026, 11, 5))[org.pk])
    assert early[D(2026, 11, 1)] == ComplianceMark.ON_TIME
    assert len(early) == 12 and min(early) == D(2025, 12, 1)


@pytest.mark.django_db
def test_overdue_rectification_counts_against_the_unit(org):
    notice = df.RectificationFactory(finding=df.FindingFactory(organization=org, state="notice_issued"),
                                     deadline=D(2026, 11, 1))
    from disclosure.models import Rectification

    Rectification.objects.filter(pk=notice.pk).update(
        state=RectificationState.CLOSED, closed_on=D(2026, 11, 5),
        issued_at=datetime.datetime(2026, 10, 20, tzinfo=datetime.UTC))
    record = selectors.inspection_record_for([org.pk], today=D(2026, 11, 25))
    assert record[org.pk]["rectifications_overdue"] == 1
    assert record[org.pk]["rectifications_open"] == 0


@pytest.mark.django_db
def test_r18_deadline_counts_working_days_over_national_day(org):
    from qujing_disclosure.core.workdays import load_calendar

    feedback = df.FeedbackFactory(organization=org, received_on=D(2026, 9, 30))
    deadline = selectors.feedback_deadline(feedback, load_calendar())
    # 2026: 1–8 October are holidays, so five working days after 30 Sept end on 14 October.
    assert deadline.due > D(2026, 10, 8)
    assert "2026-09-30" in deadline.explanation


@pytest.mark.django_db
def test_r20_overdue_rectification(org, county_user):
    notice = df.RectificationFactory(finding=df.FindingFactory(organization=org, state="notice_issued"),
                                     deadline=D(2026, 5, 20))
    assert selectors.rectification_is_overdue(notice, today=D(2026, 5, 21)) is True
    assert selectors.rectification_is_overdue(notice, today=D(2026, 5, 20)) is False


@pytest.mark.django_db
def test_exchange_reads_reports_and_send_backs_in_order(org_user, county_user, notice):
    from disclosure import selectors

    report_twice(org_user, county_user, notice)
    services.rectification_check(actor=county_user, rectification_id=notice.pk, accept=True, note="符合要求。")
    rounds = selectors.rectification_exchange(notice, list(history_for(notice)))
    assert [(r["n"], r["report"], r["outcome"], r["note"]) for r in rounds] == [
        (1, "已补贴公开栏照片。", "returned", "照片看不清日期。"),
        (2, "已重新拍照，照片带日期水印。", "closed", "符合要求。"),
    ]
    assert rounds[0]["reported_by"] == org_user and rounds[0]["checked_by"] == county_user


@pytest.mark.django_db
def test_exchange_of_a_notice_reported_before_reports_were_recorded_shows_the_latest(notice):
    from disclosure import selectors

    notice.state, notice.report, notice.check_note = RectificationState.RETURNED, "旧的整改报告", "请补充"
    rounds = selectors.rectification_exchange(notice, [])
    assert [(r["report"], r["outcome"], r["note"]) for r in rounds] == [("旧的整改报告", "returned", "请补充")]


@pytest.mark.django_db
def test_series_selector_is_scoped_and_ordered(org_user, other_county_user, entry):
    from disclosure import selectors

    first, second, third = series_of_three(entry)
    assert [i.pk for i in selectors.item_series_for(org_user, third)] == [first.pk, second.pk, third.pk]
    assert selectors.item_series_for(other_county_user, third) == []


# --- scoping: every list and detail starts from the selector for the user --------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("role,sees", [
    ("admin", True), ("municipal", True), ("leading", True), ("county_user", True), ("other_county_user", False),
    ("org_user", False), ("other_org_user", False), ("evaluator", False),
])
def test_findings_are_the_supervising_offices_list(request, org, role, sees):
    finding = df.FindingFactory(organization=org)
    user = request.getfixturevalue(role)
    assert list(selectors.finding_list_for(user)) == ([finding] if sees else [])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin", "municipal", "leading", "county_user", "org_user", "other_org_user"])
def test_reminders_are_read_by_their_organisation_only(request, org, other_org, entry, other_entry, role):
    from disclosure import jobs

    jobs.send_window_reminders(today=D(2026, 6, 25))
    rows = list(selectors.reminder_list_for(request.getfixturevalue(role)).values_list("organization_id", flat=True))
    assert rows == {"org_user": [org.pk], "other_org_user": [other_org.pk]}.get(role, [])


@pytest.mark.django_db
@pytest.mark.parametrize("name,make", [
    ("carrier_get_for", lambda org: df.CarrierFactory(organization=org)),
    ("entry_get_for", lambda org: df.EntryFactory(organization=org)),
    ("item_get_for", lambda org: df.ItemFactory(entry=df.EntryFactory(organization=org))),
    ("exemption_get_for", lambda org: df.ExemptionFactory(organization=org)),
    ("feedback_get_for", lambda org: df.FeedbackFactory(organization=org)),
    ("finding_get_for", lambda org: df.FindingFactory(organization=org)),
    ("rectification_get_for", lambda org: df.RectificationFactory(finding=df.FindingFactory(organization=org))),
])
def test_one_object_outside_the_users_scope_is_404(org, county_user, other_county_user, name, make):
    from django.http import Http404

    obj = make(org)
    assert getattr(selectors, name)(county_user, obj.pk).pk == obj.pk
    with pytest.raises(Http404):
        getattr(selectors, name)(other_county_user, obj.pk)


@pytest.mark.django_db
def test_the_review_queue_waits_on_offices_and_the_leading_group_not_on_organisations(entry, org_user, county_user,
                                                                                     other_county_user, leading):
    waiting = df.ItemFactory(entry=entry, state="initial_approved")
    df.ItemFactory(entry=entry, state="submitted")
    assert [i.pk for i in selectors.item_review_queue_for(county_user)] == [waiting.pk]
    assert [i.pk for i in selectors.item_review_queue_for(leading)] == [waiting.pk]
    assert list(selectors.item_review_queue_for(other_county_user)) == []
    assert list(selectors.item_review_queue_for(org_user)) == []
    assert (selectors.waiting_state_for(org_user), selectors.waiting_state_for(county_user)) == (
        "submitted", "initial_approved")


# --- R13: the one "on public display" rule ------------------------------------------------------------
@pytest.mark.django_db
def test_r13_only_external_items_on_display_of_active_organisations_are_public(org, shown, entry):
    assert [i.pk for i in selectors.item_list_public()] == [shown["external"].pk]
    org.is_active = False
    org.save(update_fields=["is_active"])
    assert list(selectors.item_list_public()) == []


@pytest.mark.django_db
def test_r13_the_public_index_counts_items_by_the_same_rule(org, other_org, shown):
    counts = dict(selectors.organization_list_public().values_list("pk", "on_display"))
    assert counts == {org.pk: 1, other_org.pk: 0}


@pytest.mark.django_db
def test_r13_the_public_catalogue_lists_external_lines_in_use_only(org, entry):
    internal = df.EntryFactory(organization=org, scope="internal", forms=["meeting"])
    retired = df.EntryFactory(organization=org, is_active=False)
    assert [e.pk for e in selectors.entry_list_public()] == [entry.pk]
    assert internal.pk not in selectors.entry_list_public().values_list("pk", flat=True)
    assert retired.pk not in selectors.entry_list_public().values_list("pk", flat=True)


@pytest.mark.django_db
def test_carriers_without_evidence_reads_the_items_own_carriers_in_use(org_user, on_two_carriers, carrier, web_page):
    from tests.disclosure.helpers import record_evidence

    assert selectors.carriers_without_evidence(on_two_carriers) == [carrier, web_page]
    record_evidence(org_user, on_two_carriers, carrier)
    assert selectors.carriers_without_evidence(on_two_carriers) == [web_page]
    services.carrier_update(actor=org_user, carrier_id=web_page.pk, is_active=False)
    assert selectors.carriers_without_evidence(on_two_carriers) == []
