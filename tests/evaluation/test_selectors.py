"""Reads (evaluation.selectors): the panel's score, ranking with its records (R2, R6, R20), calibration, deadlines, scoping."""
import datetime
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from rest_framework.test import APIClient

from evaluation import selectors, services
from evaluation.models import Candidate
from qujing_disclosure.core.models import CalendarDay
from qujing_disclosure.core.workdays import load_calendar
from tests import factories as f

from .factories import InspectionFactory, disclosure_history, open_publicity, recommended_application, submit_card

pytestmark = pytest.mark.django_db


def _ranking_row(groups, candidate):
    return next(r for g in groups for r in g["new"] + g["reevaluation"] if r["candidate"].pk == candidate.pk)


def test_other_scores_hidden_until_own_submitted(candidate, evaluator, other_evaluator, municipal):
    submit_card(other_evaluator, candidate, "0.8")
    mine = services.assignment_create(actor=municipal, candidate_id=candidate.pk, evaluator_id=evaluator.pk)
    services.assignment_declare(actor=evaluator, assignment_id=mine.pk, conflict=False)
    assert list(selectors.panel_scorecards_for(evaluator, candidate)) == []
    submit_card(evaluator, candidate, "0.9")
    assert [c.total for c in selectors.panel_scorecards_for(evaluator, candidate)] == [Decimal("90.00"), Decimal("80.00")]


def test_aggregate_is_plain_mean_below_five_evaluators():
    agg = selectors.aggregate_totals([Decimal("70"), Decimal("80"), Decimal("90"), Decimal("100")])
    assert (agg["score"], agg["trimmed"], agg["median"], agg["spread"]) == (Decimal("85.00"), False, Decimal("85.00"), Decimal("30.00"))


def test_aggregate_drops_highest_and_lowest_from_five_evaluators():
    agg = selectors.aggregate_totals([Decimal("60"), Decimal("80"), Decimal("82"), Decimal("84"), Decimal("99")])
    assert (agg["score"], agg["trimmed"], agg["mean"], agg["median"], agg["spread"]) == (
        Decimal("82.00"), True, Decimal("81.00"), Decimal("82.00"), Decimal("39.00"))


def test_aggregate_of_nobody_is_none():
    assert selectors.aggregate_totals([]) is None


def test_candidate_aggregate_counts_pending_evaluators(candidate, panel, municipal):
    for person, fraction in zip(panel[:3], ("0.7", "0.8", "0.9")):
        submit_card(person, candidate, fraction)
    services.assignment_create(actor=municipal, candidate_id=candidate.pk, evaluator_id=panel[3].pk)
    agg = selectors.candidate_aggregate(candidate)
    assert (agg["score"], agg["n"], agg["pending"]) == (Decimal("80.00"), 3, 1)


def test_r5_one_evaluators_conflict_does_not_hide_the_candidate_from_another(candidate, evaluator, other_evaluator, municipal):
    mine = services.assignment_create(actor=municipal, candidate_id=candidate.pk, evaluator_id=evaluator.pk)
    theirs = services.assignment_create(actor=municipal, candidate_id=candidate.pk, evaluator_id=other_evaluator.pk)
    services.assignment_declare(actor=evaluator, assignment_id=mine.pk, conflict=True, note="亲属在该单位工作")
    assert list(selectors.candidate_list_for(evaluator)) == []
    assert list(selectors.candidate_list_for(other_evaluator)) == [candidate]
    services.assignment_declare(actor=other_evaluator, assignment_id=theirs.pk, conflict=False)
    assert list(selectors.candidate_list_for(other_evaluator)) == [candidate]


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


def test_objection_deadline_counts_working_days_and_moves_with_calendar(candidate, eval_round, municipal, panel, settings):
    settings.OBJECTION_ANSWER_WORKING_DAYS = 5
    publicity = open_publicity(eval_round, candidate, municipal, panel)
    objection = services.objection_create(publicity_id=publicity.pk, content="异议内容足够长，具体事实如下。")
    objection.received_on = datetime.date(2026, 9, 28)  # Monday before the National Day holiday
    before = selectors.objection_deadline(objection, load_calendar())
    CalendarDay.objects.create(date=before.due, is_working_day=False, name="临时调整")
    after = selectors.objection_deadline(objection, load_calendar())
    assert after.due > before.due
    assert "跳过节假日" in before.explanation


def test_overdue_objection_is_flagged(candidate, eval_round, municipal, panel):
    publicity = open_publicity(eval_round, candidate, municipal, panel)
    objection = services.objection_create(publicity_id=publicity.pk, content="异议内容足够长，具体事实如下。")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=30)):
        [item] = selectors.objections_with_deadlines([objection])
    assert item.overdue is True


@pytest.mark.usefixtures("mid_june_2026")
def test_selector_summarises_the_disclosure_factories_data(recorded, other_candidate):
    groups = selectors.ranking(recorded.round)
    record = _ranking_row(groups, recorded)["disclosure"]
    assert {k: record[k] for k in ("published", "on_time", "late", "on_time_rate", "missed", "display_breaches",
                                   "rectifications_overdue", "feedback_overdue", "ratings", "satisfaction_rate", "concerns")} == {
        "published": 3, "on_time": 2, "late": 1, "on_time_rate": Decimal("66.7"), "missed": 1, "display_breaches": 1,
        "rectifications_overdue": 1, "feedback_overdue": 1, "ratings": 5, "satisfaction_rate": Decimal("80.0"), "concerns": 4,
    }
    empty = _ranking_row(groups, other_candidate)["disclosure"]
    assert (empty["published"], empty["on_time_rate"], empty["satisfaction_rate"], empty["concerns"]) == (0, None, None, 0)


def test_ranking_selector_carries_the_revocation(reevaluations):
    from evaluation import selectors

    _kept, failed = reevaluations
    [group] = selectors.ranking(failed.round)
    rows = {r["candidate"].organization_name: r["candidate"] for r in group["reevaluation"]}
    revoked = rows["撤销的示范点"]
    assert (revoked.revocation_ref, revoked.revoked_on, revoked.plaque_recalled_on) == (
        "曲党务公开办〔2026〕7号", datetime.date(2026, 3, 2), datetime.date(2026, 3, 9))
    assert rows["保留的示范点"].revocation_ref is None


@pytest.mark.parametrize("role, expected", [("municipal", {"麒麟区的检查", "沾益区的检查"}), ("admin", {"麒麟区的检查", "沾益区的检查"}),
                                            ("leading", {"麒麟区的检查", "沾益区的检查"}), ("county_user", {"麒麟区的检查"}),
                                            ("other_county_user", {"沾益区的检查"}), ("evaluator", set()), ("org_user", set())])
def test_r20_inspections_have_one_scope_for_the_portal_and_the_api(client, request, org, other_org, role, expected):
    InspectionFactory(organization=org, findings="麒麟区的检查")
    InspectionFactory(organization=other_org, findings="沾益区的检查")
    user = request.getfixturevalue(role)
    assert {i.findings for i in selectors.inspection_list_for(user)} == expected
    api = APIClient()
    api.force_authenticate(user)
    assert {row["findings"] for row in api.get("/api/v1/evaluation/inspections/").json()["results"]} == expected
    client.force_login(user)
    page = client.get("/portal/evaluation/inspections/")
    if expected:
        body = page.content.decode()
        assert {text for text in ("麒麟区的检查", "沾益区的检查") if text in body} == expected
    else:
        assert page.status_code == 404


@pytest.mark.parametrize("role, expected", [("municipal", 2), ("admin", 2), ("leading", 2), ("evaluator", 1), ("other_evaluator", 0),
                                            ("county_user", 0), ("org_user", 0), ("anonymous", 0)])
def test_assignments_are_read_by_staff_and_by_their_own_evaluator(request, candidate, other_candidate, evaluator, panel, role, expected):
    services.assignment_create(actor=None, candidate_id=candidate.pk, evaluator_id=evaluator.pk)
    services.assignment_create(actor=None, candidate_id=other_candidate.pk, evaluator_id=panel[0].pk)
    user = AnonymousUser() if role == "anonymous" else request.getfixturevalue(role)
    assert selectors.assignment_list_for(user).count() == expected
    assert selectors.assignment_list_for(user, own=True).count() == (1 if role == "evaluator" else 0)

