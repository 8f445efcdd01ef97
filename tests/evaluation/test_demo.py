"""`manage.py load_demo` (sites, evaluation, disclosure): this year's city round in publicity, a past round
with a revocation (R10), the source's figure of 125 / 12 / 113 active sites kept, and idempotent."""
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from evaluation.enums import (
    CandidateKind,
    ObjectionState,
    PublicityStatus,
    ReevaluationOutcome,
    ScorecardState,
)
from evaluation.models import Assignment, Candidate, Objection, Publicity, Revocation, Scorecard
from evaluation.selectors import candidate_aggregate
from qujing_disclosure.core.models import AuditEntry, User
from sites.enums import DesignationStatus, Level, RoundStatus
from sites.models import Designation, Quota, Round

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """The full demo loaded once for the module inside a transaction rolled back afterwards; each test
    runs in a savepoint of it, so what one test changes the next does not see."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def _table_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def _past_revocation():
    return Revocation.objects.select_related("designation__round", "candidate__round").get(candidate__round__status=RoundStatus.FINISHED)


def test_full_demo_keeps_125_active_sites_12_city_and_113_county(demo_output):
    active = Designation.objects.filter(status=DesignationStatus.ACTIVE)
    assert (active.count(), active.filter(level=Level.CITY).count(), active.filter(level=Level.COUNTY).count()) == (125, 12, 113)
    assert Designation.objects.filter(status=DesignationStatus.REVOKED).count() == 6
    assert "有效 125 个（市级 12 个、县级 113 个）" in demo_output


def test_this_years_city_round_is_in_publicity_with_objections_in_several_states_and_every_site_retained(demo_output):
    year = timezone.localdate().year
    round_ = Round.objects.get(name=f"{year}年度市级党务公开工作示范点创建")
    assert round_.status == RoundStatus.PUBLICITY
    publicity = Publicity.objects.get(round=round_, status=PublicityStatus.OPEN)
    assert publicity.starts_on < timezone.localdate() <= publicity.ends_on
    states = set(Objection.objects.filter(publicity=publicity).values_list("state", flat=True))
    assert len(states) >= 3
    assert states == set(ObjectionState.values)
    # R10: every active city-level site of the round's jurisdictions (those with a quota) is re-evaluated
    # in this round, and all keep their titles; the city-level sites elsewhere are not in its queue.
    reevaluations = Candidate.objects.filter(round=round_, kind=CandidateKind.REEVALUATION)
    covered = set(Quota.objects.filter(round=round_).values_list("jurisdiction_id", flat=True))
    city_sites = Designation.objects.filter(level=Level.CITY, status=DesignationStatus.ACTIVE, awarded_on__lt=round_.applications_open_on)
    assert set(reevaluations.values_list("designation_id", flat=True)) == set(
        city_sites.filter(jurisdiction_id__in=covered).values_list("pk", flat=True))
    assert 0 < reevaluations.count() < 12 == Designation.objects.filter(level=Level.CITY, status=DesignationStatus.ACTIVE).count()
    assert set(reevaluations.values_list("outcome", flat=True)) == {ReevaluationOutcome.RETAINED}
    assert all(candidate_aggregate(c)["score"] >= round_.pass_mark for c in reevaluations)
    assert not Revocation.objects.filter(candidate__round=round_).exists()


def test_a_past_round_shows_the_reevaluation_that_revoked_a_title(demo_output):
    revocation = _past_revocation()
    candidate, site = revocation.candidate, revocation.designation
    past = candidate.round
    # The lowest city-level plaque among the titles sites.demo revoked, in the round of its revocation.
    first_revoked = Designation.objects.filter(status=DesignationStatus.REVOKED, level=Level.CITY).order_by("plaque_number").first()
    assert site == first_revoked
    assert (past.level, past.year) == (Level.CITY, site.revoked_on.year)
    assert past != site.round and past.status == RoundStatus.FINISHED
    assert candidate.kind == CandidateKind.REEVALUATION and candidate.outcome == ReevaluationOutcome.REVOKED
    # A panel of three submitted scorecards below the pass mark; their mean is the decision's score,
    # the score the title's revocation reason names.
    cards = Scorecard.objects.filter(assignment__candidate=candidate)
    assert cards.count() == 3
    assert set(cards.values_list("state", flat=True)) == {ScorecardState.SUBMITTED}
    assert all(card.total < past.pass_mark for card in cards)
    for card in cards:
        assert sum(s.points for s in card.scores.all()) == card.total
        assert card.scores.count() == 8
    aggregate = candidate_aggregate(candidate)
    assert aggregate["pending"] == 0 and aggregate["score"] == revocation.score < past.pass_mark
    assert f"得分{revocation.score:.0f}分" in site.revoke_reason
    # The decision: number, date, plaque recall, reason; and its audit entry at the historical date.
    assert revocation.decision_ref == f"曲党务公开办〔{past.year}〕12号"
    assert revocation.decided_on == site.revoked_on < revocation.plaque_recalled_on
    assert revocation.reason == site.revoke_reason
    entry = AuditEntry.objects.get(action="evaluation.designation.revoke", object_id=str(site.pk))
    assert (entry.actor, entry.to_state, entry.data["decision_ref"]) == (None, "revoked", revocation.decision_ref)
    assert timezone.localtime(entry.created_at).date() == site.revoked_on
    # The other sites re-evaluated in that round scored at or above the pass mark and were retained.
    others = Candidate.objects.filter(round=past, kind=CandidateKind.REEVALUATION).exclude(pk=candidate.pk)
    assert others.count() == 4
    assert set(others.values_list("outcome", flat=True)) == {ReevaluationOutcome.RETAINED}
    assert all(candidate_aggregate(c)["score"] >= past.pass_mark for c in others)
    assert Revocation.objects.count() == 1


def test_staff_open_the_past_reevaluation_and_see_the_failing_score_and_the_decision(demo_output, client):
    revocation = _past_revocation()
    candidate = revocation.candidate
    client.force_login(User.objects.get(username="office"))

    page = client.get(reverse("evaluation_portal:reevaluation", args=[candidate.round_id])).content.decode()
    assert candidate.organization.name in page
    assert f"{revocation.score:.2f}" in page
    assert "未达合格线" in page and "撤销称号" in page

    page = client.get(reverse("evaluation_portal:candidate", args=[candidate.pk])).content.decode()
    assert f"{revocation.score:.2f}" in page
    for card in Scorecard.objects.filter(assignment__candidate=candidate):
        assert f"{card.total:.2f}" in page

    # The decision record (number, date, score, plaque recall) is in the admin.
    client.force_login(User.objects.get(username="admin"))
    page = client.get(reverse("admin:evaluation_revocation_changelist")).content.decode()
    assert revocation.decision_ref in page and str(revocation.designation) in page


def test_a_county_office_does_not_open_the_past_reevaluation(demo_output, client):
    client.force_login(User.objects.get(username="qilin"))
    candidate = _past_revocation().candidate
    assert client.get(reverse("evaluation_portal:reevaluation", args=[candidate.round_id])).status_code == 404


def test_loading_the_demo_again_changes_no_table(demo_output):
    first = _table_counts()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert _table_counts() == first
    assert "考评演示数据已存在，未作改动。" in out.getvalue()


def test_the_demo_evaluator_has_unscored_candidates_in_a_round_being_evaluated(demo_output):
    from evaluation.enums import AssignmentState

    evaluator = User.objects.get(username="evaluator")
    waiting = Assignment.objects.filter(evaluator=evaluator, candidate__round__status=RoundStatus.EVALUATING).select_related(
        "candidate__round", "candidate__jurisdiction")
    assert waiting.count() == 3
    assert {a.candidate.kind for a in waiting} == {CandidateKind.NEW, CandidateKind.REEVALUATION}
    # R5: never a unit of the evaluator's own jurisdiction (沾益区); nothing declared or scored yet.
    assert {a.candidate.jurisdiction.name for a in waiting} == {"马龙区"}
    assert {a.state for a in waiting} == {AssignmentState.PENDING}
    assert not Scorecard.objects.filter(assignment__in=waiting).exists()
    round_ = waiting.first().candidate.round
    assert (round_.level, round_.year) == (Level.COUNTY, timezone.localdate().year)
    assert f"评分：{round_.name} 考评中，考评人员 evaluator 有 3 个待评分的考评对象。" in demo_output
    # The rest of the team has scored: the evaluator sees the panel once their own card is in.
    assert Scorecard.objects.filter(assignment__candidate__round=round_, state=ScorecardState.SUBMITTED).count() == 6


def test_the_demo_evaluator_signs_in_declares_and_scores(demo_output, client):
    evaluator = User.objects.get(username="evaluator")
    client.force_login(evaluator)
    assignment = Assignment.objects.filter(evaluator=evaluator, candidate__round__status=RoundStatus.EVALUATING,
                                           candidate__kind=CandidateKind.NEW).order_by("pk").first()
    tasks = client.get(reverse("evaluation_portal:tasks")).content.decode()
    assert assignment.candidate.organization.name in tasks
    client.post(reverse("evaluation_portal:assignment_declare", args=[assignment.pk]), {"conflict": "no"})
    data = {"submit": "1"}
    for c in assignment.candidate.round.evaluation_table.criteria.all():
        data |= {f"points_{c.pk}": str(c.max_points * 9 / 10), f"methods_{c.pk}": c.methods[:1], f"notes_{c.pk}": "已核实"}
    assert client.post(reverse("evaluation_portal:assignment", args=[assignment.pk]), data).status_code == 302
    card = Scorecard.objects.get(assignment=assignment)
    assert (card.state, card.total) == (ScorecardState.SUBMITTED, 90)
    page = client.get(reverse("evaluation_portal:assignment", args=[assignment.pk])).content.decode()
    assert str(User.objects.get(username="pingshen1")) in page  # the panel opens once their own card is in


def test_the_demo_keeps_the_site_figures_with_the_round_in_evaluation(demo_output):
    active = Designation.objects.filter(status=DesignationStatus.ACTIVE)
    assert (active.count(), active.filter(level=Level.CITY).count(), active.filter(level=Level.COUNTY).count()) == (125, 12, 113)
    assert Round.objects.filter(status=RoundStatus.EVALUATING).count() == 1


def test_the_malong_round_queues_only_malong_county_sites_and_no_site_queued_elsewhere(demo_output):
    """R10 scope: a round re-evaluates the sites of its own quota jurisdictions, each site in one running round."""
    evaluator = User.objects.get(username="evaluator")
    round_ = Assignment.objects.filter(evaluator=evaluator, candidate__round__status=RoundStatus.EVALUATING).first().candidate.round
    queued = Candidate.objects.filter(round=round_, kind=CandidateKind.REEVALUATION).select_related("designation", "jurisdiction")
    malong = Designation.objects.filter(level=Level.COUNTY, status=DesignationStatus.ACTIVE, jurisdiction__code="malong",
                                        awarded_on__lt=round_.applications_open_on)
    assert set(queued.values_list("designation_id", flat=True)) == set(malong.values_list("pk", flat=True))
    assert {c.jurisdiction.name for c in queued} == {"马龙区"} and {c.designation.level for c in queued} == {Level.COUNTY}
    running = Candidate.objects.filter(designation__isnull=False).exclude(round__status=RoundStatus.FINISHED)
    assert running.count() == running.values("designation_id").distinct().count()


def test_demo_objections_were_received_during_the_publicity(demo_output):
    publicity = Publicity.objects.get(status=PublicityStatus.OPEN)
    for objection in Objection.objects.filter(publicity=publicity):
        day = timezone.localtime(objection.received_at).date()
        assert publicity.starts_on <= day == objection.received_on <= timezone.localdate()
        assert 8 <= timezone.localtime(objection.received_at).hour <= 18


def test_demo_county_offices_have_email_so_notifications_reach_the_console(demo_output):
    from evaluation.selectors import county_office_emails

    offices = User.objects.filter(role="county")
    assert offices.exists() and not offices.filter(email="").exists()
    malong = User.objects.get(username="malong")
    assert county_office_emails(malong.jurisdiction_id) == ["malong@qujing.example.cn"]  # whom a listing or award notifies


def test_the_demo_writes_through_the_production_doors_at_the_days_it_tells(demo_output):
    past = _past_revocation().candidate.round
    created = AuditEntry.objects.get(action="evaluation.table.create", object_id=str(past.evaluation_table.pk))
    assert created.actor.username == "office"
    retained = AuditEntry.objects.filter(action="evaluation.reevaluation.retain",
                                         object_id__in=[str(pk) for pk in Candidate.objects.filter(round=past).values_list("pk", flat=True)])
    assert retained.count() == 4 and {e.actor.username for e in retained} == {"office"}
    publicity = Publicity.objects.get(status=PublicityStatus.OPEN)
    opened = AuditEntry.objects.get(action="evaluation.publicity.open", object_id=str(publicity.pk))
    assert (opened.actor.username, timezone.localtime(opened.created_at).date()) == ("office", publicity.starts_on)
    for objection in Objection.objects.filter(publicity=publicity):
        received = AuditEntry.objects.get(action="evaluation.objection.create", object_id=str(objection.pk))
        assert timezone.localtime(received.created_at).date() == objection.received_on
