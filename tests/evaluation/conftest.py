import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import trans_real

from evaluation import services
from evaluation.models import Candidate
from sites.enums import RoundStatus
from sites.models import Round
from tests import factories as f

from .factories import ENGLISH, MID_JUNE, disclosure_history, evaluator_user, listed_round, recommended_application, submit_card


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A request with the English cookie leaves English active in this thread: back to the default."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def eval_round(open_round):
    """The shared open round moved to evaluation, with the default table."""
    Round.objects.filter(pk=open_round.pk).update(status=RoundStatus.EVALUATING)
    open_round.refresh_from_db()
    services.table_create_default(actor=None, round_id=open_round.pk)
    return open_round


@pytest.fixture
def application(eval_round, org):
    return recommended_application(eval_round, org)


@pytest.fixture
def other_application(eval_round, other_org):
    return recommended_application(eval_round, other_org)


@pytest.fixture
def candidates(eval_round, application, other_application):
    services.candidates_sync(actor=None, round_id=eval_round.pk)
    return {c.application_id: c for c in Candidate.objects.filter(round=eval_round)}


@pytest.fixture
def candidate(candidates, application):
    """麒麟区's candidate: the 沾益区 evaluator may score it."""
    return candidates[application.pk]


@pytest.fixture
def other_candidate(candidates, other_application):
    """沾益区's candidate: the 沾益区 evaluator must not score it (R5)."""
    return candidates[other_application.pk]


@pytest.fixture
def panel(db):
    """Five evaluators bound to no jurisdiction."""
    return [evaluator_user(username=f"panel{i}") for i in range(5)]


@pytest.fixture
def assignment(candidate, evaluator):
    return services.assignment_create(actor=None, candidate_id=candidate.pk, evaluator_id=evaluator.pk)


@pytest.fixture
def declared(assignment, evaluator):
    return services.assignment_declare(actor=evaluator, assignment_id=assignment.pk, conflict=False)


@pytest.fixture
def other_evaluator(db):
    return evaluator_user(username="evaluator2", jurisdiction=f.JurisdictionFactory(name="马龙区", code="malong"))


@pytest.fixture
def api_client_for(request):
    from rest_framework.test import APIClient

    def make(role):
        api = APIClient()
        if role != "anonymous":
            api.force_authenticate(request.getfixturevalue(role))
        return api

    return make


@pytest.fixture
def teams(eval_round, panel, municipal):
    a = services.team_save(actor=municipal, round_id=eval_round.pk, name="第一考评组", member_ids=[panel[0].pk, panel[1].pk], leader_id=panel[0].pk)
    b = services.team_save(actor=municipal, round_id=eval_round.pk, name="第二考评组", member_ids=[panel[2].pk], leader_id=panel[2].pk)
    return a, b


@pytest.fixture
def democratic(candidate, municipal):
    """45 of 47 ballots satisfied or basically satisfied: 95.7%, so 群众满意度 suggests 15 × 0.957 = 14.36."""
    return services.democratic_record(actor=municipal, candidate_id=candidate.pk, held_on=candidate.round.applications_open_on,
                                      satisfied=40, basically_satisfied=5, dissatisfied=2)


@pytest.fixture
def mid_june_2026():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


@pytest.fixture
def recorded(candidate, other_candidate, panel):
    """麒麟区's candidate has a year of disclosure work; 沾益区's has none (and must not borrow it)."""
    disclosure_history(candidate.organization, MID_JUNE)
    submit_card(panel[0], candidate)
    return candidate


@pytest.fixture
def reevaluations(eval_round, county, municipal, panel):
    """Two sites re-evaluated in the round: one kept (90), one revoked (60) with its decision (R10)."""
    old = f.RoundFactory(organizer=eval_round.organizer, status="finished", year=eval_round.year - 3)
    kept, failed = (
        f.DesignationFactory(organization=f.OrganizationFactory(jurisdiction=county, name=name), round=old, level=eval_round.level,
                             awarded_on=datetime.date(eval_round.year - 3, 6, 1))
        for name in ("保留的示范点", "撤销的示范点")
    )
    services.candidates_sync(actor=None, round_id=eval_round.pk)
    kept_candidate, failed_candidate = (Candidate.objects.get(designation=d) for d in (kept, failed))
    submit_card(panel[0], kept_candidate, "0.9")
    submit_card(panel[0], failed_candidate, "0.6")
    services.reevaluation_retain(actor=municipal, candidate_id=kept_candidate.pk)
    services.designation_revoke_with_decision(
        actor=municipal, designation_id=failed.pk, candidate_id=failed_candidate.pk, reason="复评得分60分，低于合格线",
        decision_ref="曲党务公开办〔2026〕7号", decided_on=datetime.date(2026, 3, 2), plaque_recalled_on=datetime.date(2026, 3, 9))
    return kept_candidate, failed_candidate


@pytest.fixture
def world(eval_round, candidate, other_candidate, evaluator, other_evaluator, municipal):
    """麒麟区's candidate is scored by the 沾益区 evaluator; 沾益区's by the 马龙区 evaluator."""
    mine = services.assignment_create(actor=municipal, candidate_id=candidate.pk, evaluator_id=evaluator.pk)
    services.assignment_declare(actor=evaluator, assignment_id=mine.pk, conflict=False)
    theirs = services.assignment_create(actor=municipal, candidate_id=other_candidate.pk, evaluator_id=other_evaluator.pk)
    team = services.team_save(actor=municipal, round_id=eval_round.pk, name="第一组", member_ids=[evaluator.pk])
    return {"round": eval_round, "mine": mine, "theirs": theirs, "candidate": candidate, "other_candidate": other_candidate, "team": team}


@pytest.fixture
def publicity(eval_round, candidate, municipal, panel):
    listed_round(eval_round, candidate, municipal, evaluators=panel[:1])
    today = timezone.localdate()
    return services.publicity_open(actor=municipal, round_id=eval_round.pk, starts_on=today, ends_on=today + datetime.timedelta(days=6))


@pytest.fixture
def published(eval_round, candidate, other_candidate, panel):
    submit_card(panel[0], candidate, "0.9")
    submit_card(panel[1], candidate, "0.8")
    submit_card(panel[0], other_candidate, "0.7")
    Round.objects.filter(pk=eval_round.pk).update(status=RoundStatus.PUBLICITY)
    return eval_round


@pytest.fixture
def team(eval_round, candidate, panel, municipal):
    team = services.team_save(actor=municipal, round_id=eval_round.pk, name="第一考评组", member_ids=[panel[0].pk, panel[1].pk],
                              leader_id=panel[0].pk)
    services.candidate_assign_team(actor=municipal, candidate_id=candidate.pk, team_id=team.pk)
    return team


@pytest.fixture
def english():
    """The English catalogue with the punctuation entries (as `make messages` + translation will give)."""
    catalog = trans_real.translation("en")._catalog
    saved = {key: catalog.get(key) for key in ENGLISH}
    for key, value in ENGLISH.items():
        catalog[key] = value
    yield
    for key, value in saved.items():
        if value is None:
            for part in catalog._catalogs:
                part.pop(key, None)
        else:
            catalog[key] = value
