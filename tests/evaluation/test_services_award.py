"""Award, subsidy and revocation (evaluation.services.award): R8 before R9, plaques, R10."""
import datetime
from decimal import Decimal

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.utils import timezone

from evaluation import services
from evaluation.enums import PublicityStatus, ReevaluationOutcome, SubsidyState
from evaluation.models import Candidate, Revocation, SubsidyPayment
from qujing_disclosure.core.errors import DomainError, InvalidTransition, NotPermitted
from qujing_disclosure.core.models import AuditEntry
from sites.enums import ApplicationState, DesignationStatus, RoundStatus
from sites.models import Designation
from tests import factories as f

from .factories import SHANGHAI, listed_round, open_publicity, recommended_application, submit_card

pytestmark = pytest.mark.django_db


@pytest.fixture
def reevaluated(eval_round, county, municipal):
    old = f.RoundFactory(organizer=eval_round.organizer, status="finished", year=eval_round.year - 3)
    site = f.DesignationFactory(organization=f.OrganizationFactory(jurisdiction=county, name="老示范点"), round=old, level=eval_round.level,
                                awarded_on=datetime.date(eval_round.year - 3, 6, 1))
    services.candidates_sync(actor=None, round_id=eval_round.pk)
    return Candidate.objects.get(designation=site)


def test_r9_award_refused_while_publicity_runs(candidate, eval_round, municipal, panel):
    open_publicity(eval_round, candidate, municipal, panel)
    with pytest.raises(DomainError) as exc:
        services.round_award(actor=municipal, round_id=eval_round.pk)
    assert exc.value.code == "publicity_running"


def test_r8_award_refused_while_objection_unanswered(candidate, eval_round, municipal, panel):
    publicity = open_publicity(eval_round, candidate, municipal, panel)
    services.objection_create(publicity_id=publicity.pk, content="异议内容足够长，具体事实如下。")
    with time_machine.travel(publicity.ends_on + datetime.timedelta(days=1)):
        with pytest.raises(DomainError) as exc:
            services.round_award(actor=municipal, round_id=eval_round.pk)
    assert str(exc.value) == "还有1件公示异议未答复，不能授牌（R8）。"


def test_r9_award_creates_designation_with_plaque_and_subsidy(candidate, other_candidate, eval_round, municipal, panel, settings, county,
                                                              django_capture_on_commit_callbacks):
    settings.SUBSIDY_BY_LEVEL = {"city": 3000, "county": 500}
    f.county_user(county, username="qilin_mail", email="qilin@example.cn")
    publicity = open_publicity(eval_round, candidate, municipal, panel)
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
    publicity = open_publicity(eval_round, candidate, municipal, panel)
    with time_machine.travel(datetime.datetime.combine(publicity.ends_on + datetime.timedelta(days=2), datetime.time(10), SHANGHAI)):
        with pytest.raises(DomainError) as exc:
            services.round_award(actor=municipal, round_id=eval_round.pk, awarded_on=publicity.ends_on + datetime.timedelta(days=offset))
    assert (exc.value.field, exc.value.rule) == ("awarded_on", "R9")
    assert str(exc.value) == (f"授牌日期应在公示期结束（{publicity.ends_on.isoformat()}）之后、今天"
                              f"（{(publicity.ends_on + datetime.timedelta(days=2)).isoformat()}）及以前。")
    assert not Designation.objects.filter(round=eval_round).exists()


def test_r9_award_date_in_the_future_china_time_is_refused(candidate, eval_round, municipal, panel):
    publicity = open_publicity(eval_round, candidate, municipal, panel)
    day_after = publicity.ends_on + datetime.timedelta(days=1)
    # 23:30 in Shanghai on the day after the publicity: "tomorrow" is still the future there (UTC is 15:30).
    with time_machine.travel(datetime.datetime.combine(day_after, datetime.time(23, 30), SHANGHAI)):
        with pytest.raises(DomainError) as exc:
            services.round_award(actor=municipal, round_id=eval_round.pk, awarded_on=day_after + datetime.timedelta(days=1))
        assert exc.value.code == "award_date"
        [designation] = services.round_award(actor=municipal, round_id=eval_round.pk, awarded_on=day_after)
    assert designation.awarded_on == day_after


def test_r9_award_page_shows_the_date_refusal_on_the_field(client, candidate, eval_round, municipal, panel):
    publicity = open_publicity(eval_round, candidate, municipal, panel)
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
    publicity = open_publicity(eval_round, candidate, municipal, panel)
    with time_machine.travel(publicity.ends_on + datetime.timedelta(days=1)):
        [designation] = services.round_award(actor=municipal, round_id=eval_round.pk)
    assert designation.plaque_number == f"QJ-S-{eval_round.year}-002"


def test_r9_county_level_default_has_no_subsidy_row(candidate, eval_round, municipal, panel):
    publicity = open_publicity(eval_round, candidate, municipal, panel)
    with time_machine.travel(publicity.ends_on + datetime.timedelta(days=1)):
        [designation] = services.round_award(actor=municipal, round_id=eval_round.pk)
    assert designation.subsidy_amount == Decimal("0")
    assert not SubsidyPayment.objects.exists()


def test_r9_subsidy_steps_approved_then_paid_with_voucher(municipal):
    designation = f.DesignationFactory(level="city", subsidy_amount=3000)
    payment = SubsidyPayment.objects.create(designation=designation, amount=3000)
    with pytest.raises(InvalidTransition, match="补助经费当前状态为“待审批”，不能变更为“已拨付”"):
        services.subsidy_advance(actor=municipal, payment_id=payment.pk, state="paid", voucher="X1")
    services.subsidy_advance(actor=municipal, payment_id=payment.pk, state="approved")
    with pytest.raises(DomainError) as exc:
        services.subsidy_advance(actor=municipal, payment_id=payment.pk, state="paid", voucher="")
    assert (exc.value.field, str(exc.value)) == ("voucher", "拨付时请填写凭证号。")
    payment = services.subsidy_advance(actor=municipal, payment_id=payment.pk, state="paid", voucher="曲财拨〔2026〕12号")
    assert (payment.state, payment.voucher) == (SubsidyState.PAID, "曲财拨〔2026〕12号")


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
    with pytest.raises(DomainError) as exc:
        services.designation_revoke_with_decision(actor=municipal, designation_id=reevaluated.designation_id, reason="x", decision_ref=" ")
    assert (exc.value.field, str(exc.value)) == ("decision_ref", "请填写撤销决定文号。")
    assert not Revocation.objects.exists()


def _designation_history(designation):
    return list(AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Designation), object_id=str(designation.pk))
                .order_by("pk"))


def test_r9_each_title_is_written_once_through_sites_door_and_shows_on_the_site_page(client, candidate, eval_round, municipal, panel):
    publicity = open_publicity(eval_round, candidate, municipal, panel)
    with time_machine.travel(publicity.ends_on + datetime.timedelta(days=1)):
        [designation] = services.round_award(actor=municipal, round_id=eval_round.pk)
    [entry] = _designation_history(designation)
    assert (entry.action, entry.actor, entry.to_state, entry.data["plaque_number"]) == (
        "sites.designation.award", municipal, "active", designation.plaque_number)
    assert "授予“党务公开工作示范点”称号，颁发牌匾" in client.get(f"/sites/{designation.pk}/").content.decode()


def test_r9_award_closes_its_own_publicity_and_no_other_rounds(candidate, eval_round, municipal, panel, city, county):
    other = f.RoundFactory(organizer=city, name="另一轮县级示范点创建", status=RoundStatus.EVALUATING)
    f.QuotaFactory(round=other, jurisdiction=county, slots=1)
    services.table_create_default(actor=None, round_id=other.pk)
    recommended_application(other, f.OrganizationFactory(name="麒麟区另一党支部", jurisdiction=county))
    services.candidates_sync(actor=None, round_id=other.pk)
    listed_round(other, Candidate.objects.get(round=other), municipal, evaluators=panel[2:3])
    today = timezone.localdate()
    theirs = services.publicity_open(actor=municipal, round_id=other.pk, starts_on=today, ends_on=today + datetime.timedelta(days=6))
    ours = open_publicity(eval_round, candidate, municipal, panel)
    with time_machine.travel(ours.ends_on + datetime.timedelta(days=1)):
        services.round_award(actor=municipal, round_id=eval_round.pk)
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert (ours.status, theirs.status) == (PublicityStatus.CLOSED, PublicityStatus.OPEN)
    [closed] = AuditEntry.objects.filter(action="evaluation.publicity.close")
    assert (closed.object_id, closed.actor) == (str(ours.pk), municipal)  # the award closed it, in the office's name


def test_r10_revocation_is_one_audit_entry_carrying_the_decision(reevaluated, municipal, panel):
    submit_card(panel[0], reevaluated, "0.6")
    services.designation_revoke_with_decision(actor=municipal, designation_id=reevaluated.designation_id, candidate_id=reevaluated.pk,
                                              reason="复评得分60分，低于合格线", decision_ref="曲党务公开〔2026〕3号",
                                              plaque_recalled_on=datetime.date(2026, 12, 9))
    [entry] = _designation_history(reevaluated.designation)
    assert (entry.action, entry.actor, entry.from_state, entry.to_state, entry.reason) == (
        "evaluation.designation.revoke", municipal, "active", "revoked", "复评得分60分，低于合格线")
    assert (entry.data["decision_ref"], entry.data["score"], entry.data["candidate"], entry.data["plaque_recalled_on"]) == (
        "曲党务公开〔2026〕3号", "60.00", reevaluated.pk, "2026-12-09")
    assert entry.data["changes"]["revoke_reason"] == {"old": "", "new": "复评得分60分，低于合格线"}


def test_r10_an_outcome_decided_cannot_be_revoked_again(reevaluated, municipal, panel):
    submit_card(panel[0], reevaluated, "0.9")
    services.reevaluation_retain(actor=municipal, candidate_id=reevaluated.pk)
    with pytest.raises(InvalidTransition, match="当前状态为“保留称号”，不能变更为“撤销称号”"):
        services.designation_revoke_with_decision(actor=municipal, designation_id=reevaluated.designation_id, candidate_id=reevaluated.pk,
                                                  reason="x", decision_ref="y")
    assert Designation.objects.get(pk=reevaluated.designation_id).status == DesignationStatus.ACTIVE
