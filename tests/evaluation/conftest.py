import pytest

from evaluation import services
from evaluation.models import Candidate
from sites.enums import RoundStatus
from sites.models import Round
from tests import factories as f

from .factories import evaluator_user, recommended_application


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
