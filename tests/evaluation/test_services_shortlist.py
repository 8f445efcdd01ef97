"""The preliminary list and the deliberation (evaluation.services.shortlist): quota (R2), pass mark and complete panels (R6), R7."""
import datetime

import pytest
from django.utils import timezone

from evaluation import selectors, services
from evaluation.models import Candidate
from qujing_disclosure.core.errors import DomainError, NotPermitted
from sites.enums import ApplicationState
from tests import factories as f

from .factories import listed_round, recommended_application, submit_card

pytestmark = pytest.mark.django_db


def test_shortlist_ignores_withdrawn_assignments(candidate, panel, municipal):
    submit_card(panel[0], candidate, "0.9")
    stuck = services.assignment_create(actor=municipal, candidate_id=candidate.pk, evaluator_id=panel[1].pk)
    with pytest.raises(DomainError) as exc:
        services.shortlist_add(actor=municipal, application_id=candidate.application_id)
    assert exc.value.code == "scores_pending"
    services.assignment_withdraw(actor=municipal, assignment_id=stuck.pk, reason="该考评人员调离")
    assert services.shortlist_add(actor=municipal, application_id=candidate.application_id).state == ApplicationState.SHORTLISTED
    assert selectors.candidate_aggregate(candidate)["pending"] == 0


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
