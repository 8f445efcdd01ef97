"""services.feedback: public feedback with receipt codes (R18) and satisfaction ratings (R19)."""
import re

import pytest

from disclosure import services
from disclosure.models import Feedback
from qujing_disclosure.core import receipts
from qujing_disclosure.core.errors import DomainError
from tests.disclosure import factories as df


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
