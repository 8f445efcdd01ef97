import io

import pytest

from evaluation import demo
from evaluation.enums import ObjectionState, PublicityStatus
from evaluation.models import Candidate, Objection, Publicity, Revocation
from sites import demo as sites_demo
from sites.enums import RoundStatus

pytestmark = pytest.mark.django_db


def test_demo_builds_a_round_in_publicity_with_objections_in_every_state_and_is_idempotent():
    sites_demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
    publicity = Publicity.objects.get(status=PublicityStatus.OPEN)
    assert publicity.round.status == RoundStatus.PUBLICITY
    assert set(Objection.objects.values_list("state", flat=True)) == set(ObjectionState.values)
    assert Revocation.objects.count() >= 1
    counts = (Candidate.objects.count(), Objection.objects.count(), Revocation.objects.count())
    demo.load(stdout=io.StringIO())
    assert (Candidate.objects.count(), Objection.objects.count(), Revocation.objects.count()) == counts
