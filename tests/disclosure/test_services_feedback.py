"""services.feedback: public feedback with receipt codes (R18) and satisfaction ratings (R19)."""
import re

import pytest

from disclosure import services
from disclosure.enums import FeedbackState, Scope
from disclosure.models import Feedback, SatisfactionRating
from qujing_disclosure.core import receipts
from qujing_disclosure.core.errors import DomainError, InvalidTransition, NotPermitted
from tests.disclosure import factories as df
from tests.disclosure.helpers import D, at


@pytest.mark.django_db
def test_r18_feedback_gets_a_code_and_an_answer(org, org_user, other_org_user):
    feedback = services.feedback_submit(organization_id=org.pk, content="<script>alert(1)</script>建议")
    assert len(feedback.code) == 12
    assert feedback.state == FeedbackState.RECEIVED
    with pytest.raises(NotPermitted):
        services.feedback_answer(actor=other_org_user, feedback_id=feedback.pk, answer="x")
    feedback = services.feedback_answer(actor=org_user, feedback_id=feedback.pk, answer="已采纳")
    assert feedback.state == FeedbackState.ANSWERED
    with pytest.raises(InvalidTransition, match="^该意见建议已答复。$"):
        services.feedback_answer(actor=org_user, feedback_id=feedback.pk, answer="再答")


@pytest.mark.django_db
def test_r18_feedback_on_internal_item_is_refused(org, org_user):
    internal = df.published_item(D(2026, 5, 3), entry=df.EntryFactory(organization=org, scope=Scope.INTERNAL, forms=["meeting"]))
    with pytest.raises(DomainError) as exc:
        services.feedback_submit(organization_id=org.pk, item_id=internal.pk, content="内容")
    assert (exc.value.field, exc.value.code) == ("item", "item_not_on_display")


@pytest.mark.django_db
def test_r18_receipt_codes_come_from_the_one_core_alphabet(org):
    codes = {services.feedback_submit(organization_id=org.pk, content=f"建议{n}").code for n in range(20)}
    assert len(codes) == 20
    assert all(re.fullmatch(f"[{receipts.ALPHABET}]{{12}}", code) for code in codes)


@pytest.mark.django_db
def test_r18_a_receipt_code_collision_draws_again(org, monkeypatch):
    taken = df.FeedbackFactory(organization=org, code="TAKENCODE234").code
    drawn = iter([taken, taken, "FRESHCODE234"])
    monkeypatch.setattr(receipts, "receipt_code_new", lambda length=12: next(drawn))
    feedback = services.feedback_submit(organization_id=org.pk, content="公开栏字太小")
    assert feedback.code == "FRESHCODE234"
    assert Feedback.objects.count() == 2


@pytest.mark.django_db
def test_r18_endless_collisions_are_a_message_not_a_crash(org, monkeypatch):
    taken = df.FeedbackFactory(organization=org, code="TAKENCODE234").code
    monkeypatch.setattr(receipts, "receipt_code_new", lambda length=12: taken)
    with pytest.raises(DomainError) as exc:
        services.feedback_submit(organization_id=org.pk, content="公开栏字太小")
    assert (exc.value.code, exc.value.field, str(exc.value)) == ("receipt_code_exhausted", "content", "系统繁忙，请稍后再试。")
    assert Feedback.objects.count() == 1


@pytest.mark.django_db
def test_r19_one_rating_per_phone_per_organisation_per_month(org, other_org):
    with at(D(2026, 5, 31, ), hour=23):
        services.rating_submit(organization_id=org.pk, phone="138 0874 1234", rating="satisfied")
        with pytest.raises(DomainError) as exc:
            services.rating_submit(organization_id=org.pk, phone="+86 13808741234", rating="dissatisfied")
        assert (exc.value.rule, exc.value.code) == ("R19", "already_rated")
        services.rating_submit(organization_id=other_org.pk, phone="13808741234", rating="basic")
    with at(D(2026, 6, 1), hour=0):
        services.rating_submit(organization_id=org.pk, phone="13808741234", rating="basic")
    assert SatisfactionRating.objects.filter(organization=org).count() == 2
    assert not SatisfactionRating.objects.filter(voter_hash__contains="13808741234").exists()


@pytest.mark.django_db
def test_r19_refuses_invalid_phone(org):
    with pytest.raises(DomainError) as exc:
        services.rating_submit(organization_id=org.pk, phone="12345", rating="satisfied")
    assert (exc.value.field, exc.value.code) == ("phone", "phone_invalid")
