"""Services of the disclosure app: every rule by id (R11–R20) and the item procedure (R14)."""
import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure import selectors, services
from disclosure.enums import (
    ExemptionState,
    FeedbackState,
    FindingState,
    InspectionResult,
    ItemState,
    RectificationState,
    Scope,
    TimeType,
)
from disclosure.models import Item, SatisfactionRating
from qujing_disclosure.core.audit import history_for
from qujing_disclosure.core.errors import DomainError, InvalidTransition, NotPermitted
from tests.disclosure import factories as df

SH = ZoneInfo("Asia/Shanghai")
D = datetime.date


def at(day, hour=10):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SH), tick=False)


def make_item(org_user, entry, **kw):
    kw.setdefault("title", "2026年5月党费收缴情况")
    kw.setdefault("content", "应缴12人，实缴12人。")
    kw.setdefault("publish_on", D(2026, 6, 3))
    kw.setdefault("display_until", D(2026, 6, 30))
    return services.item_create(actor=org_user, entry_id=entry.pk, **kw)


def approve(item, org_user, county_user):
    services.item_submit(actor=org_user, item_id=item.pk)
    services.item_initial_review(actor=org_user, item_id=item.pk, approve=True, check_content=True,
                                 check_scope=True, check_form=True, check_timing=True)
    return services.item_review(actor=county_user, item_id=item.pk, approve=True)


# --- R16 window ---------------------------------------------------------------------
@pytest.mark.django_db
def test_r16_refuses_date_outside_window_and_offers_next_valid_date(org_user, entry):
    with at(D(2026, 5, 20)):
        with pytest.raises(DomainError) as exc:
            make_item(org_user, entry, publish_on=D(2026, 5, 28), display_until=D(2026, 6, 30))
    assert exc.value.field == "publish_on"
    assert exc.value.rule == "R16"
    assert "最近可选的公开日期是 2026-06-01" in str(exc.value)
    assert Item.objects.count() == 0


@pytest.mark.django_db
def test_r16_next_valid_date_crosses_year_end(org_user, entry):
    with at(D(2026, 12, 15)):
        with pytest.raises(DomainError) as exc:
            make_item(org_user, entry, publish_on=D(2026, 12, 20), display_until=D(2027, 1, 30))
    assert "2027-01-01" in str(exc.value)


@pytest.mark.django_db
def test_r16_prompt_items_may_be_dated_outside_window(org_user, entry):
    with at(D(2026, 5, 20)):
        item = make_item(org_user, entry, time_type=TimeType.PROMPT, publish_on=D(2026, 5, 20),
                         display_until=D(2026, 6, 10))
    assert item.state == ItemState.DRAFT
    assert item.due_by == D(2026, 5, 20)


@pytest.mark.django_db
def test_r16_refuses_past_date(org_user, entry):
    with at(D(2026, 6, 5)):
        with pytest.raises(DomainError) as exc:
            make_item(org_user, entry, publish_on=D(2026, 6, 2))
    assert exc.value.field == "publish_on"
    assert "2026-06-05" in str(exc.value)


@pytest.mark.django_db
def test_r16_manual_publish_refused_outside_window(org_user, county_user, entry):
    with at(D(2026, 5, 20)):
        item = make_item(org_user, entry)
        approve(item, org_user, county_user)
    with at(D(2026, 6, 11)):
        with pytest.raises(DomainError) as exc:
            services.item_publish(actor=org_user, item_id=item.pk)
    assert exc.value.rule == "R16"
    assert "2026-07-01" in str(exc.value)
    with at(D(2026, 7, 1)):
        item = services.item_publish(actor=org_user, item_id=item.pk)
    assert item.state == ItemState.PUBLISHED
    assert item.published_on == D(2026, 7, 1)
    assert item.on_time is False


# --- R17 display --------------------------------------------------------------------
@pytest.mark.django_db
def test_r17_refuses_display_end_less_than_15_days(org_user, entry):
    with at(D(2026, 5, 20)):
        with pytest.raises(DomainError) as exc:
            make_item(org_user, entry, publish_on=D(2026, 6, 3), display_until=D(2026, 6, 17))
    assert exc.value.field == "display_until"
    assert exc.value.rule == "R17"
    assert "2026-06-18" in str(exc.value)


@pytest.mark.django_db
def test_r17_accepts_exactly_15_days(org_user, entry):
    with at(D(2026, 5, 20)):
        item = make_item(org_user, entry, publish_on=D(2026, 6, 3), display_until=D(2026, 6, 18))
    assert item.display_until == D(2026, 6, 18)


@pytest.mark.django_db
def test_r17_only_long_term_items_may_omit_display_end(org_user, entry):
    with at(D(2026, 5, 20)):
        with pytest.raises(DomainError) as exc:
            make_item(org_user, entry, display_until=None)
        assert exc.value.field == "display_until"
        item = make_item(org_user, entry, display_until=None, time_type=TimeType.LONG_TERM)
    assert item.display_until is None


@pytest.mark.django_db
def test_r17_withdraw_and_archive_refused_before_15_days(org_user, county_user, entry):
    with at(D(2026, 5, 20)):
        item = make_item(org_user, entry)
        approve(item, org_user, county_user)
    with at(D(2026, 6, 3)):
        services.item_publish(actor=org_user, item_id=item.pk)
    with at(D(2026, 6, 17)):
        with pytest.raises(DomainError) as exc:
            services.item_withdraw(actor=org_user, item_id=item.pk, reason="内容有误")
        assert exc.value.rule == "R17"
        assert "2026-06-18" in str(exc.value)
        with pytest.raises(DomainError):
            services.item_archive(actor=org_user, item_id=item.pk)
    with at(D(2026, 6, 18)):
        item = services.item_withdraw(actor=org_user, item_id=item.pk, reason="已被新通知替代")
    assert item.state == ItemState.WITHDRAWN
    assert item.ended_on == D(2026, 6, 18)


# --- R14 procedure ------------------------------------------------------------------
@pytest.mark.django_db
def test_r14_full_procedure_with_audit(org_user, county_user, entry, municipal):
    with at(D(2026, 5, 20)):
        item = make_item(org_user, entry)
        approve(item, org_user, county_user)
    with at(D(2026, 6, 3)):
        services.item_publish(actor=org_user, item_id=item.pk)
        services.item_record_evidence(actor=org_user, item_id=item.pk, carrier_id=entry.carriers.first().pk,
                                      kind="photo", uploaded_file=SimpleUploadedFile("board.png", b"\x89PNG\r\n\x1a\nxx"))
        services.item_inspect(actor=county_user, item_id=item.pk, result=InspectionResult.PASSED, note="")
    with at(D(2026, 7, 1)):
        item = services.item_archive(actor=org_user, item_id=item.pk, reason="整理归档")
    assert item.state == ItemState.ARCHIVED
    assert [e.action for e in history_for(item)] == [
        "disclosure.item.create", "disclosure.item.submit", "disclosure.item.initial_review", "disclosure.item.review",
        "disclosure.item.publish", "disclosure.item.evidence", "disclosure.item.inspect", "disclosure.item.archive",
    ]


@pytest.mark.django_db
def test_r14_initial_review_needs_all_four_checks(org_user, entry):
    with at(D(2026, 5, 20)):
        item = make_item(org_user, entry)
        services.item_submit(actor=org_user, item_id=item.pk)
        with pytest.raises(DomainError) as exc:
            services.item_initial_review(actor=org_user, item_id=item.pk, approve=True, check_content=True,
                                         check_scope=True, check_form=True)
    assert "时限" in str(exc.value)
    assert Item.objects.get(pk=item.pk).state == ItemState.SUBMITTED


@pytest.mark.django_db
def test_r14_rejection_sends_back_with_reason_and_can_resubmit(org_user, county_user, entry):
    with at(D(2026, 5, 20)):
        item = make_item(org_user, entry)
        services.item_submit(actor=org_user, item_id=item.pk)
        services.item_initial_review(actor=org_user, item_id=item.pk, approve=True, check_content=True,
                                     check_scope=True, check_form=True, check_timing=True)
        with pytest.raises(DomainError):
            services.item_review(actor=county_user, item_id=item.pk, approve=False, reason="")
        item = services.item_review(actor=county_user, item_id=item.pk, approve=False, reason="金额需核实")
        assert item.state == ItemState.RETURNED
        assert item.return_reason == "金额需核实"
        services.item_update(actor=org_user, item_id=item.pk, content="应缴12人，实缴12人，金额已核实。")
        item = services.item_submit(actor=org_user, item_id=item.pk)
    assert item.state == ItemState.SUBMITTED


@pytest.mark.django_db
def test_r14_review_by_other_county_is_not_permitted(org_user, other_county_user, county_user, entry):
    with at(D(2026, 5, 20)):
        item = make_item(org_user, entry)
        services.item_submit(actor=org_user, item_id=item.pk)
        services.item_initial_review(actor=org_user, item_id=item.pk, approve=True, check_content=True,
                                     check_scope=True, check_form=True, check_timing=True)
        with pytest.raises(NotPermitted):
            services.item_review(actor=other_county_user, item_id=item.pk, approve=True)
        with pytest.raises(NotPermitted):
            services.item_review(actor=org_user, item_id=item.pk, approve=True)
        assert services.item_review(actor=county_user, item_id=item.pk, approve=True).state == ItemState.APPROVED


@pytest.mark.django_db
def test_r14_submitted_item_cannot_be_edited_and_illegal_transition_refused(org_user, entry):
    with at(D(2026, 5, 20)):
        item = make_item(org_user, entry)
        services.item_submit(actor=org_user, item_id=item.pk)
        with pytest.raises(InvalidTransition):
            services.item_update(actor=org_user, item_id=item.pk, title="改标题")
        with pytest.raises(InvalidTransition):
            services.item_archive(actor=org_user, item_id=item.pk)


@pytest.mark.django_db
def test_r14_other_organisation_cannot_draft_under_my_entry(other_org_user, entry):
    with at(D(2026, 5, 20)), pytest.raises(NotPermitted):
        make_item(other_org_user, entry)


@pytest.mark.django_db
def test_r15_repeated_items_form_a_series_and_long_term_item_is_superseded(org_user, county_user, entry):
    with at(D(2026, 5, 20)):
        first = make_item(org_user, entry, time_type=TimeType.LONG_TERM, display_until=None)
        approve(first, org_user, county_user)
    with at(D(2026, 6, 3)):
        services.item_publish(actor=org_user, item_id=first.pk)
        second = make_item(org_user, entry, time_type=TimeType.LONG_TERM, display_until=None,
                           publish_on=D(2026, 7, 1), previous_id=first.pk)
        approve(second, org_user, county_user)  # a draft cannot be a previous item (R15)
        third = make_item(org_user, entry, publish_on=D(2026, 7, 2), display_until=D(2026, 7, 31), previous_id=second.pk)
    assert second.series_id == first.pk and third.series_id == first.pk
    with at(D(2026, 7, 1)):
        services.item_publish(actor=org_user, item_id=second.pk)
    assert Item.objects.get(pk=first.pk).superseded is True


# --- R13 scope and forms -------------------------------------------------------------
@pytest.mark.django_db
def test_r13_internal_items_refuse_public_forms_and_carriers(org_user, entry, carrier):
    with at(D(2026, 5, 20)):
        with pytest.raises(DomainError) as exc:
            make_item(org_user, entry, scope=Scope.INTERNAL, forms=["board"], carrier_ids=[])
        assert exc.value.rule == "R13"
        with pytest.raises(DomainError):
            make_item(org_user, entry, scope=Scope.INTERNAL, forms=["meeting"], carrier_ids=[carrier.pk])
        item = make_item(org_user, entry, scope=Scope.INTERNAL, forms=["meeting"], carrier_ids=[])
    assert item.scope == Scope.INTERNAL


@pytest.mark.django_db
def test_r12_catalogue_entry_and_carrier_of_own_organisation(org_user, org, other_org_user):
    carrier = services.carrier_create(actor=org_user, organization_id=org.pk, kind="web_page", name="门户网站党务公开专栏",
                                      url="https://example.org/dwgk")
    category = df.CategoryFactory()
    entry = services.entry_create(actor=org_user, organization_id=org.pk, category_id=category.pk,
                                  title="重大决策事项", scope="external", time_type="staged", cadence="quarterly",
                                  forms=["website"], carrier_ids=[carrier.pk])
    assert list(entry.carriers.all()) == [carrier]
    with pytest.raises(NotPermitted):
        services.entry_create(actor=other_org_user, organization_id=org.pk, category_id=category.pk, title="x",
                              scope="external", time_type="staged", cadence="monthly")
    services.entry_update(actor=org_user, entry_id=entry.pk, is_active=False)
    entry.refresh_from_db()
    assert entry.is_active is False


# --- R11 exemptions ---------------------------------------------------------------------
@pytest.mark.django_db
def test_r11_exemption_requires_reason_basis_approver(org_user, org):
    with pytest.raises(DomainError) as exc:
        services.exemption_create(actor=org_user, organization_id=org.pk, title="某事项", reason="", basis="条例",
                                  approver="李书记", approved_on=D(2026, 1, 1), review_by=D(2026, 6, 1))
    assert exc.value.rule == "R11"
    exemption = services.exemption_create(actor=org_user, organization_id=org.pk, title="某事项", reason="涉密",
                                          basis="条例", approver="李书记", approved_on=D(2026, 1, 1),
                                          review_by=D(2026, 6, 1))
    with at(D(2026, 5, 20)):
        exemption = services.exemption_review(actor=org_user, exemption_id=exemption.pk, decision="release",
                                              note="已可公开")
    assert exemption.state == ExemptionState.RELEASED


# --- R18 feedback -------------------------------------------------------------------------
@pytest.mark.django_db
def test_r18_feedback_gets_a_code_and_an_answer(org, org_user, other_org_user):
    feedback = services.feedback_submit(organization_id=org.pk, content="<script>alert(1)</script>建议")
    assert len(feedback.code) == 12
    assert feedback.state == FeedbackState.RECEIVED
    with pytest.raises(NotPermitted):
        services.feedback_answer(actor=other_org_user, feedback_id=feedback.pk, answer="x")
    feedback = services.feedback_answer(actor=org_user, feedback_id=feedback.pk, answer="已采纳")
    assert feedback.state == FeedbackState.ANSWERED
    with pytest.raises(InvalidTransition):
        services.feedback_answer(actor=org_user, feedback_id=feedback.pk, answer="再答")


@pytest.mark.django_db
def test_r18_feedback_on_internal_item_is_refused(org, org_user):
    internal = df.published_item(D(2026, 5, 3), entry=df.EntryFactory(organization=org, scope=Scope.INTERNAL, forms=["meeting"]))
    with pytest.raises(DomainError) as exc:
        services.feedback_submit(organization_id=org.pk, item_id=internal.pk, content="内容")
    assert exc.value.field == "item"


@pytest.mark.django_db
def test_r18_deadline_counts_working_days_over_national_day(org):
    from qujing_disclosure.core.workdays import load_calendar

    feedback = df.FeedbackFactory(organization=org, received_on=D(2026, 9, 30))
    deadline = selectors.feedback_deadline(feedback, load_calendar())
    # 2026: 1–8 October are holidays, so five working days after 30 Sept end on 14 October.
    assert deadline.due > D(2026, 10, 8)
    assert "2026-09-30" in deadline.explanation


# --- R19 satisfaction -------------------------------------------------------------------
@pytest.mark.django_db
def test_r19_one_rating_per_phone_per_organisation_per_month(org, other_org):
    with at(D(2026, 5, 31, ), hour=23):
        services.rating_submit(organization_id=org.pk, phone="138 0874 1234", rating="satisfied")
        with pytest.raises(DomainError) as exc:
            services.rating_submit(organization_id=org.pk, phone="+86 13808741234", rating="dissatisfied")
        assert exc.value.rule == "R19"
        services.rating_submit(organization_id=other_org.pk, phone="13808741234", rating="basic")
    with at(D(2026, 6, 1), hour=0):
        services.rating_submit(organization_id=org.pk, phone="13808741234", rating="basic")
    assert SatisfactionRating.objects.filter(organization=org).count() == 2
    assert not SatisfactionRating.objects.filter(voter_hash__contains="13808741234").exists()


@pytest.mark.django_db
def test_r19_refuses_invalid_phone(org):
    with pytest.raises(DomainError) as exc:
        services.rating_submit(organization_id=org.pk, phone="12345", rating="satisfied")
    assert exc.value.field == "phone"


# --- R20 findings and rectifications ----------------------------------------------------
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
        with pytest.raises(InvalidTransition):
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
def test_r20_overdue_rectification(org, county_user):
    notice = df.RectificationFactory(finding=df.FindingFactory(organization=org, state="notice_issued"),
                                     deadline=D(2026, 5, 20))
    assert selectors.rectification_is_overdue(notice, today=D(2026, 5, 21)) is True
    assert selectors.rectification_is_overdue(notice, today=D(2026, 5, 20)) is False
