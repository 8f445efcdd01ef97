"""Preliminary list (R2, R6), deliberation (R7), publicity and objections (R8), award (R9), revocation (R10)."""
import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from evaluation import jobs, selectors, services
from evaluation.enums import ObjectionState, PublicityStatus, ReevaluationOutcome, SubsidyState
from evaluation.models import Candidate, PublicityEntry, Revocation, SubsidyPayment
from qujing_disclosure.core.errors import DomainError, InvalidTransition, NotPermitted
from qujing_disclosure.core.models import AuditEntry, CalendarDay
from qujing_disclosure.core.workdays import load_calendar
from sites.enums import ApplicationState, DesignationStatus, RoundStatus
from sites.models import Designation
from tests import factories as f

from .factories import InspectionFactory, disclosure_history, listed_round, recommended_application, submit_card

pytestmark = pytest.mark.django_db
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def _open_publicity(eval_round, candidate, municipal, panel, days=7):
    listed_round(eval_round, candidate, municipal, evaluators=panel[:2])
    today = timezone.localdate()
    return services.publicity_open(actor=municipal, round_id=eval_round.pk, starts_on=today, ends_on=today + datetime.timedelta(days=days - 1))


# --- R2 / R6: the preliminary list -------------------------------------------------------
def test_r2_shortlist_never_exceeds_the_jurisdiction_quota(eval_round, county, municipal, panel):
    apps = [recommended_application(eval_round, f.OrganizationFactory(jurisdiction=county)) for _ in range(3)]
    services.candidates_sync(actor=None, round_id=eval_round.pk)
    for app in apps:
        submit_card(panel[0], Candidate.objects.get(application=app))
    services.shortlist_add(actor=municipal, application_id=apps[0].pk)
    services.shortlist_add(actor=municipal, application_id=apps[1].pk)
    with pytest.raises(DomainError) as exc:
        services.shortlist_add(actor=municipal, application_id=apps[2].pk)
    assert exc.value.rule == "R2"
    assert str(exc.value) == "麒麟区本轮名额2个，初选名单已有2个，不能再列入（R2）。"


def test_shortlist_refused_while_scores_pending(candidate, municipal, panel):
    submit_card(panel[0], candidate)
    services.assignment_create(actor=municipal, candidate_id=candidate.pk, evaluator_id=panel[1].pk)
    with pytest.raises(DomainError) as exc:
        services.shortlist_add(actor=municipal, application_id=candidate.application_id)
    assert exc.value.code == "scores_pending"


def test_shortlist_refused_below_pass_mark(candidate, municipal, panel):
    submit_card(panel[0], candidate, "0.7")
    with pytest.raises(DomainError) as exc:
        services.shortlist_add(actor=municipal, application_id=candidate.application_id)
    assert str(exc.value) == "该单位得分70.00，低于合格分数线80，不能列入初选名单。"


def test_shortlist_refused_for_leading_group(candidate, leading, panel):
    submit_card(panel[0], candidate)
    with pytest.raises(NotPermitted):
        services.shortlist_add(actor=leading, application_id=candidate.application_id)


def test_r6_ranking_shows_inspections_satisfaction_and_cut_line(eval_round, county, municipal, panel, org):
    apps = [recommended_application(eval_round, f.OrganizationFactory(jurisdiction=county, name=f"单位{i}")) for i in range(3)]
    services.candidates_sync(actor=None, round_id=eval_round.pk)
    for app, fraction in zip(apps, ("0.95", "0.85", "0.9")):
        submit_card(panel[0], Candidate.objects.get(application=app), fraction)
    InspectionFactory(organization=apps[0].organization, rating="excellent")
    services.democratic_record(actor=municipal, candidate_id=Candidate.objects.get(application=apps[0]).pk,
                               held_on=timezone.localdate(), satisfied=40, basically_satisfied=8, dissatisfied=2)
    [group] = selectors.ranking(eval_round)
    assert [(r["candidate"].organization_name, r["score"], r["within_quota"], r["cut_after"]) for r in group["new"]] == [
        ("单位0", Decimal("95.00"), True, False), ("单位2", Decimal("90.00"), True, True), ("单位1", Decimal("85.00"), False, False)]
    assert group["new"][0]["satisfaction"] == Decimal("96.0")
    assert group["new"][0]["inspections"]["count"] == 1


def test_ranking_query_count_is_constant(eval_round, county, panel, django_assert_max_num_queries):
    # Each unit also has a year of disclosure work: the ranking's disclosure record (R6, R20) is read
    # for all of them at once (disclosure.selectors.inspection_record_for).
    today = timezone.localdate()

    def add(n):
        for _ in range(n):
            organization = f.OrganizationFactory(jurisdiction=county)
            disclosure_history(organization, today)
            app = recommended_application(eval_round, organization)
            services.candidates_sync(actor=None, round_id=eval_round.pk)
            submit_card(panel[0], Candidate.objects.get(application=app))

    add(1)
    with django_assert_max_num_queries(13) as small:
        selectors.ranking(eval_round)
    add(4)
    with django_assert_max_num_queries(13) as large:
        groups = selectors.ranking(eval_round)
    assert len(small.captured_queries) == len(large.captured_queries)
    assert [r["disclosure"]["published"] for r in groups[0]["new"]] == [3] * 5


def test_calibration_measures_distance_from_panel_mean(candidate, panel):
    submit_card(panel[0], candidate, "0.8")
    submit_card(panel[1], candidate, "0.9")
    people = selectors.calibration(candidate.round)
    assert [(p["username"], p["mean"]) for p in people] == [("panel0", -5.0), ("panel1", 5.0)]


# --- R7 / R8: deliberation and publicity ------------------------------------------------
def test_r7_publicity_refused_without_approved_deliberation(candidate, eval_round, municipal, panel):
    submit_card(panel[0], candidate)
    services.shortlist_add(actor=municipal, application_id=candidate.application_id)
    today = timezone.localdate()
    with pytest.raises(DomainError) as exc:
        services.publicity_open(actor=municipal, round_id=eval_round.pk, starts_on=today, ends_on=today + datetime.timedelta(days=6))
    assert exc.value.rule == "R7"


def test_r7_deliberation_of_an_older_list_does_not_count(candidate, eval_round, municipal, panel, other_candidate, other_evaluator):
    listed_round(eval_round, candidate, municipal, evaluators=panel[:1])
    submit_card(other_evaluator, other_candidate)
    services.shortlist_add(actor=municipal, application_id=other_candidate.application_id)
    today = timezone.localdate()
    with pytest.raises(DomainError) as exc:
        services.publicity_open(actor=municipal, round_id=eval_round.pk, starts_on=today, ends_on=today + datetime.timedelta(days=6))
    assert exc.value.code == "not_deliberated"


def test_r7_leading_group_member_records_deliberation(candidate, eval_round, municipal, leading, panel):
    submit_card(panel[0], candidate)
    services.shortlist_add(actor=municipal, application_id=candidate.application_id)
    d = services.deliberation_record(actor=leading, round_id=eval_round.pk, meeting_date=timezone.localdate(), attendees="全体成员", decision="approved")
    assert d.application_ids == [candidate.application_id]


def test_r7_county_user_cannot_record_deliberation(eval_round, county_user):
    with pytest.raises(NotPermitted):
        services.deliberation_record(actor=county_user, round_id=eval_round.pk, meeting_date=timezone.localdate(), attendees="x", decision="approved")


def test_r8_publicity_shorter_than_minimum_refused(candidate, eval_round, municipal, panel, settings):
    settings.PUBLICITY_MIN_DAYS = 7
    listed_round(eval_round, candidate, municipal, evaluators=panel[:1])
    today = timezone.localdate()
    with pytest.raises(DomainError) as exc:
        services.publicity_open(actor=municipal, round_id=eval_round.pk, starts_on=today, ends_on=today + datetime.timedelta(days=5))
    assert str(exc.value) == "公示期不少于7天，当前为6天（R8）。"


def test_r8_publicity_opens_round_and_notifies_county_office(candidate, eval_round, municipal, panel, county, django_capture_on_commit_callbacks):
    f.county_user(county, username="qilin_mail", email="qilin@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        publicity = _open_publicity(eval_round, candidate, municipal, panel)
    eval_round.refresh_from_db()
    assert eval_round.status == RoundStatus.PUBLICITY
    assert [e.application_id for e in publicity.entries.all()] == [candidate.application_id]
    assert publicity.entries.get().score == Decimal("90.00")
    assert [m.to for m in mail.outbox] == [["qilin@example.cn"]]


@pytest.mark.parametrize("ends_on, closes_at", [
    (datetime.date(2026, 11, 30), datetime.datetime(2026, 12, 1, 0, 0, 30, tzinfo=SHANGHAI)),
    (datetime.date(2026, 12, 31), datetime.datetime(2027, 1, 1, 0, 0, 30, tzinfo=SHANGHAI)),
])
def test_r8_publicity_closes_after_its_last_day_in_shanghai(candidate, eval_round, municipal, panel, ends_on, closes_at):
    with time_machine.travel(datetime.datetime.combine(ends_on - datetime.timedelta(days=6), datetime.time(9), tzinfo=SHANGHAI), tick=False):
        listed_round(eval_round, candidate, municipal, evaluators=panel[:1])
        publicity = services.publicity_open(actor=municipal, round_id=eval_round.pk, starts_on=timezone.localdate(), ends_on=ends_on)
    # 23:59 on the last day in Shanghai is 15:59 UTC: still open.
    with time_machine.travel(closes_at - datetime.timedelta(minutes=1), tick=False):
        assert jobs.close_due_publicities().ids == []
    with time_machine.travel(closes_at, tick=False):
        assert jobs.close_due_publicities().ids == [publicity.pk]
        assert jobs.close_due_publicities().ids == []  # idempotent
    publicity.refresh_from_db()
    assert publicity.status == PublicityStatus.CLOSED
    assert AuditEntry.objects.filter(action="evaluation.publicity.close").count() == 1


def test_close_task_runs_the_sweeper(candidate, eval_round, municipal, panel):
    from evaluation.tasks import close_due_publicities

    publicity = _open_publicity(eval_round, candidate, municipal, panel)
    with time_machine.travel(publicity.ends_on + datetime.timedelta(days=1)):
        assert close_due_publicities.delay().get() == 1


# --- R8: objections ------------------------------------------------------------------------
def test_r8_objection_gets_receipt_code_and_refused_outside_period(candidate, eval_round, municipal, panel):
    publicity = _open_publicity(eval_round, candidate, municipal, panel)
    objection = services.objection_create(publicity_id=publicity.pk, content="该单位公开栏长期未更新，内容陈旧。", entry_id=publicity.entries.get().pk,
                                          objector_contact="13800000000")
    assert len(objection.code) == 10 and objection.state == ObjectionState.RECEIVED
    with time_machine.travel(publicity.ends_on + datetime.timedelta(days=1)):
        with pytest.raises(DomainError) as exc:
            services.objection_create(publicity_id=publicity.pk, content="公示结束后才提交的异议内容")
    assert exc.value.rule == "R8"


def test_r8_upheld_objection_takes_candidate_off_the_list(candidate, eval_round, municipal, panel, django_capture_on_commit_callbacks):
    publicity = _open_publicity(eval_round, candidate, municipal, panel)
    objection = services.objection_create(publicity_id=publicity.pk, content="该单位申报材料中的会议记录系补写。", entry_id=publicity.entries.get().pk,
                                          objector_contact="citizen@example.cn")
    services.objection_investigate(actor=municipal, objection_id=objection.pk, note="调阅原始记录")
    with django_capture_on_commit_callbacks(execute=True):
        services.objection_answer(actor=municipal, objection_id=objection.pk, upheld=True, reply="经核实，异议成立，该单位移出名单。")
    candidate.application.refresh_from_db()
    assert candidate.application.state == ApplicationState.RECOMMENDED
    assert PublicityEntry.objects.get(publicity=publicity).withdrawn is True
    assert mail.outbox[-1].to == ["citizen@example.cn"]
    with pytest.raises(InvalidTransition):
        services.objection_answer(actor=municipal, objection_id=objection.pk, upheld=False, reply="改判")


def test_objection_deadline_counts_working_days_and_moves_with_calendar(candidate, eval_round, municipal, panel, settings):
    settings.OBJECTION_ANSWER_WORKING_DAYS = 5
    publicity = _open_publicity(eval_round, candidate, municipal, panel)
    objection = services.objection_create(publicity_id=publicity.pk, content="异议内容足够长，具体事实如下。")
    objection.received_on = datetime.date(2026, 9, 28)  # Monday before the National Day holiday
    before = selectors.objection_deadline(objection, load_calendar())
    CalendarDay.objects.create(date=before.due, is_working_day=False, name="临时调整")
    after = selectors.objection_deadline(objection, load_calendar())
    assert after.due > before.due
    assert "跳过节假日" in before.explanation


def test_overdue_objection_is_flagged(candidate, eval_round, municipal, panel):
    publicity = _open_publicity(eval_round, candidate, municipal, panel)
    objection = services.objection_create(publicity_id=publicity.pk, content="异议内容足够长，具体事实如下。")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=30)):
        [item] = selectors.objections_with_deadlines([objection])
    assert item.overdue is True


# --- R9: award -------------------------------------------------------------------------------
def test_r9_award_refused_while_publicity_runs(candidate, eval_round, municipal, panel):
    _open_publicity(eval_round, candidate, municipal, panel)
    with pytest.raises(DomainError) as exc:
        services.round_award(actor=municipal, round_id=eval_round.pk)
    assert exc.value.code == "publicity_running"


def test_r8_award_refused_while_objection_unanswered(candidate, eval_round, municipal, panel):
    publicity = _open_publicity(eval_round, candidate, municipal, panel)
    services.objection_create(publicity_id=publicity.pk, content="异议内容足够长，具体事实如下。")
    with time_machine.travel(publicity.ends_on + datetime.timedelta(days=1)):
        with pytest.raises(DomainError) as exc:
            services.round_award(actor=municipal, round_id=eval_round.pk)
    assert str(exc.value) == "还有1件公示异议未答复，不能授牌（R8）。"


def test_r9_award_creates_designation_with_plaque_and_subsidy(candidate, other_candidate, eval_round, municipal, panel, settings, county,
                                                              django_capture_on_commit_callbacks):
    settings.SUBSIDY_BY_LEVEL = {"city": 3000, "county": 500}
    f.county_user(county, username="qilin_mail", email="qilin@example.cn")
    publicity = _open_publicity(eval_round, candidate, municipal, panel)
    services.objection_answer(actor=municipal, upheld=False, reply="经核实，不成立。",
                              objection_id=services.objection_create(publicity_id=publicity.pk, content="异议内容足够长，具体事实如下。").pk)
    with time_machine.travel(publicity.ends_on + datetime.timedelta(days=1)), django_capture_on_commit_callbacks(execute=True):
        [designation] = services.round_award(actor=municipal, round_id=eval_round.pk)
    assert (designation.title, designation.plaque_number, designation.subsidy_amount, designation.level) == (
        "党务公开工作示范点", f"QJ-X-{eval_round.year}-001", Decimal("500"), "county")
    assert designation.subsidy.state == SubsidyState.PENDING
    candidate.application.refresh_from_db()
    other_candidate.application.refresh_from_db()
    eval_round.refresh_from_db()
    assert (candidate.application.state, other_candidate.application.state, eval_round.status) == (
        ApplicationState.AWARDED, ApplicationState.NOT_AWARDED, RoundStatus.FINISHED)
    assert "QJ" in mail.outbox[-1].body


@pytest.mark.parametrize("offset", [-3, 0])  # days from the publicity's last day: before it, or the last day itself
def test_r9_award_date_within_the_publicity_is_refused(candidate, eval_round, municipal, panel, offset):
    publicity = _open_publicity(eval_round, candidate, municipal, panel)
    with time_machine.travel(datetime.datetime.combine(publicity.ends_on + datetime.timedelta(days=2), datetime.time(10), SHANGHAI)):
        with pytest.raises(DomainError) as exc:
            services.round_award(actor=municipal, round_id=eval_round.pk, awarded_on=publicity.ends_on + datetime.timedelta(days=offset))
    assert (exc.value.field, exc.value.rule) == ("awarded_on", "R9")
    assert str(exc.value) == (f"授牌日期应在公示期结束（{publicity.ends_on.isoformat()}）之后、今天"
                              f"（{(publicity.ends_on + datetime.timedelta(days=2)).isoformat()}）及以前。")
    assert not Designation.objects.filter(round=eval_round).exists()


def test_r9_award_date_in_the_future_china_time_is_refused(candidate, eval_round, municipal, panel):
    publicity = _open_publicity(eval_round, candidate, municipal, panel)
    day_after = publicity.ends_on + datetime.timedelta(days=1)
    # 23:30 in Shanghai on the day after the publicity: "tomorrow" is still the future there (UTC is 15:30).
    with time_machine.travel(datetime.datetime.combine(day_after, datetime.time(23, 30), SHANGHAI)):
        with pytest.raises(DomainError):
            services.round_award(actor=municipal, round_id=eval_round.pk, awarded_on=day_after + datetime.timedelta(days=1))
        [designation] = services.round_award(actor=municipal, round_id=eval_round.pk, awarded_on=day_after)
    assert designation.awarded_on == day_after


def test_r9_award_page_shows_the_date_refusal_on_the_field(client, candidate, eval_round, municipal, panel):
    publicity = _open_publicity(eval_round, candidate, municipal, panel)
    with time_machine.travel(datetime.datetime.combine(publicity.ends_on + datetime.timedelta(days=1), datetime.time(10), SHANGHAI)):
        client.force_login(municipal)
        response = client.post(f"/portal/evaluation/rounds/{eval_round.pk}/award/", {"awarded_on": publicity.starts_on.isoformat()})
    assert response.status_code == 400
    assert "授牌日期应在公示期结束" in response.content.decode()


def test_r9_city_level_plaque_numbers_follow_the_qj_s_year_sequence(eval_round, candidate, municipal, panel):
    from sites.models import Round

    Round.objects.filter(pk=eval_round.pk).update(level="city")
    f.DesignationFactory(level="city", plaque_number=f"QJ-S-{eval_round.year}-001")  # taken: the next free one is used
    eval_round.refresh_from_db()
    publicity = _open_publicity(eval_round, candidate, municipal, panel)
    with time_machine.travel(publicity.ends_on + datetime.timedelta(days=1)):
        [designation] = services.round_award(actor=municipal, round_id=eval_round.pk)
    assert designation.plaque_number == f"QJ-S-{eval_round.year}-002"


def test_r9_county_level_default_has_no_subsidy_row(candidate, eval_round, municipal, panel):
    publicity = _open_publicity(eval_round, candidate, municipal, panel)
    with time_machine.travel(publicity.ends_on + datetime.timedelta(days=1)):
        [designation] = services.round_award(actor=municipal, round_id=eval_round.pk)
    assert designation.subsidy_amount == Decimal("0")
    assert not SubsidyPayment.objects.exists()


def test_r9_subsidy_steps_approved_then_paid_with_voucher(municipal):
    designation = f.DesignationFactory(level="city", subsidy_amount=3000)
    payment = SubsidyPayment.objects.create(designation=designation, amount=3000)
    with pytest.raises(InvalidTransition):
        services.subsidy_advance(actor=municipal, payment_id=payment.pk, state="paid", voucher="X1")
    services.subsidy_advance(actor=municipal, payment_id=payment.pk, state="approved")
    with pytest.raises(DomainError):
        services.subsidy_advance(actor=municipal, payment_id=payment.pk, state="paid", voucher="")
    payment = services.subsidy_advance(actor=municipal, payment_id=payment.pk, state="paid", voucher="曲财拨〔2026〕12号")
    assert (payment.state, payment.voucher) == (SubsidyState.PAID, "曲财拨〔2026〕12号")


# --- R10: re-evaluation and revocation ------------------------------------------------------
@pytest.fixture
def reevaluated(eval_round, county, municipal):
    old = f.RoundFactory(organizer=eval_round.organizer, status="finished", year=eval_round.year - 3)
    site = f.DesignationFactory(organization=f.OrganizationFactory(jurisdiction=county, name="老示范点"), round=old, level=eval_round.level,
                                awarded_on=datetime.date(eval_round.year - 3, 6, 1))
    services.candidates_sync(actor=None, round_id=eval_round.pk)
    return Candidate.objects.get(designation=site)


def test_r10_site_below_pass_mark_is_revoked_with_decision(reevaluated, municipal, panel, county, django_capture_on_commit_callbacks):
    f.county_user(county, username="qilin_mail", email="qilin@example.cn")
    submit_card(panel[0], reevaluated, "0.6")
    with django_capture_on_commit_callbacks(execute=True):
        revocation = services.designation_revoke_with_decision(actor=municipal, designation_id=reevaluated.designation_id, candidate_id=reevaluated.pk,
                                                               reason="复评得分60分，低于合格线", decision_ref="曲党务公开〔2026〕3号")
    site = Designation.objects.get(pk=reevaluated.designation_id)
    reevaluated.refresh_from_db()
    assert (site.status, revocation.score, reevaluated.outcome) == (DesignationStatus.REVOKED, Decimal("60.00"), ReevaluationOutcome.REVOKED)
    assert Designation.objects.filter(pk=site.pk).exists()  # R10: history stays visible
    assert "撤销" in mail.outbox[-1].subject


def test_r10_site_at_pass_mark_cannot_be_revoked_from_reevaluation(reevaluated, municipal, panel):
    submit_card(panel[0], reevaluated, "0.8")
    with pytest.raises(DomainError) as exc:
        services.designation_revoke_with_decision(actor=municipal, designation_id=reevaluated.designation_id, candidate_id=reevaluated.pk,
                                                  reason="x", decision_ref="y")
    assert exc.value.rule == "R10"
    services.reevaluation_retain(actor=municipal, candidate_id=reevaluated.pk)
    reevaluated.refresh_from_db()
    assert reevaluated.outcome == ReevaluationOutcome.RETAINED


def test_r10_revocation_needs_decision_ref_and_staff(reevaluated, county_user, municipal):
    with pytest.raises(NotPermitted):
        services.designation_revoke_with_decision(actor=county_user, designation_id=reevaluated.designation_id, reason="x", decision_ref="y")
    with pytest.raises(DomainError):
        services.designation_revoke_with_decision(actor=municipal, designation_id=reevaluated.designation_id, reason="x", decision_ref=" ")
    assert not Revocation.objects.exists()


# --- R20 / R8a ---------------------------------------------------------------------------------
def test_r20_county_records_inspection_only_in_own_jurisdiction(county_user, org, other_org):
    services.inspection_record(actor=county_user, organization_id=org.pk, kind="daily", inspected_on=timezone.localdate(),
                               findings="公开栏未按月更新", rating="fair", rectification_due=timezone.localdate() + datetime.timedelta(days=15))
    with pytest.raises(NotPermitted):
        services.inspection_record(actor=county_user, organization_id=other_org.pk, kind="daily", inspected_on=timezone.localdate(),
                                   findings="x", rating="fair")


def test_r8a_story_published_shows_in_public_selector(municipal):
    designation = f.DesignationFactory()
    story = services.story_save(actor=municipal, designation_id=designation.pk, title="“三务”合一公开栏", body="做法介绍")
    assert list(selectors.stories_published()) == []
    services.story_set_status(actor=municipal, story_id=story.pk, status="published")
    assert [s.title for s in selectors.stories_published(designation=designation)] == ["“三务”合一公开栏"]


def test_r10_round_entering_evaluation_queues_active_sites_automatically(open_round, county, municipal, django_capture_on_commit_callbacks):
    from sites.services import round_set_status

    old = f.RoundFactory(organizer=open_round.organizer, status="finished", year=open_round.year - 2)
    site = f.DesignationFactory(organization=f.OrganizationFactory(jurisdiction=county), round=old, level=open_round.level,
                                awarded_on=datetime.date(open_round.year - 2, 6, 1))
    round_set_status(actor=municipal, round_id=open_round.pk, status=RoundStatus.CLOSED)
    with django_capture_on_commit_callbacks(execute=True):
        round_set_status(actor=municipal, round_id=open_round.pk, status=RoundStatus.EVALUATING)
    assert list(Candidate.objects.filter(round=open_round).values_list("designation_id", flat=True)) == [site.pk]


def test_publicity_withdrawn_sends_round_back_to_evaluation(candidate, eval_round, municipal, panel):
    publicity = _open_publicity(eval_round, candidate, municipal, panel)
    with pytest.raises(DomainError):
        services.publicity_withdraw(actor=municipal, round_id=eval_round.pk, reason="")
    services.publicity_withdraw(actor=municipal, round_id=eval_round.pk, reason="异议成立，重新审议")
    publicity.refresh_from_db()
    eval_round.refresh_from_db()
    assert (publicity.status, eval_round.status) == (PublicityStatus.WITHDRAWN, RoundStatus.EVALUATING)
