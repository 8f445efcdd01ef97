"""Publicity and objections (evaluation.services.publicity): R8, receipt codes, answers."""
import datetime
from unittest import mock
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from evaluation import services
from evaluation.enums import ObjectionState, PublicityStatus
from evaluation.models import Objection, PublicityEntry
from qujing_disclosure.core.errors import DomainError, InvalidTransition
from qujing_disclosure.core.models import AuditEntry
from sites.enums import ApplicationState, RoundStatus
from tests import factories as f

from .factories import (
    listed_round,
    open_publicity,
)

pytestmark = pytest.mark.django_db


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
        publicity = open_publicity(eval_round, candidate, municipal, panel)
    eval_round.refresh_from_db()
    assert eval_round.status == RoundStatus.PUBLICITY
    assert [e.application_id for e in publicity.entries.all()] == [candidate.application_id]
    assert publicity.entries.get().score == Decimal("90.00")
    assert [m.to for m in mail.outbox] == [["qilin@example.cn"]]


def test_r8_objection_gets_receipt_code_and_refused_outside_period(candidate, eval_round, municipal, panel):
    publicity = open_publicity(eval_round, candidate, municipal, panel)
    objection = services.objection_create(publicity_id=publicity.pk, content="该单位公开栏长期未更新，内容陈旧。", entry_id=publicity.entries.get().pk,
                                          objector_contact="13800000000")
    assert len(objection.code) == 10 and objection.state == ObjectionState.RECEIVED
    with time_machine.travel(publicity.ends_on + datetime.timedelta(days=1)):
        with pytest.raises(DomainError) as exc:
            services.objection_create(publicity_id=publicity.pk, content="公示结束后才提交的异议内容")
    assert exc.value.rule == "R8"


def test_r8_upheld_objection_takes_candidate_off_the_list(candidate, eval_round, municipal, panel, django_capture_on_commit_callbacks):
    publicity = open_publicity(eval_round, candidate, municipal, panel)
    objection = services.objection_create(publicity_id=publicity.pk, content="该单位申报材料中的会议记录系补写。", entry_id=publicity.entries.get().pk,
                                          objector_contact="citizen@example.cn")
    services.objection_investigate(actor=municipal, objection_id=objection.pk, note="调阅原始记录")
    with django_capture_on_commit_callbacks(execute=True):
        services.objection_answer(actor=municipal, objection_id=objection.pk, upheld=True, reply="经核实，异议成立，该单位移出名单。")
    candidate.application.refresh_from_db()
    assert candidate.application.state == ApplicationState.RECOMMENDED
    assert PublicityEntry.objects.get(publicity=publicity).withdrawn is True
    assert mail.outbox[-1].to == ["citizen@example.cn"]
    with pytest.raises(InvalidTransition, match="当前状态为“异议成立”，不能变更为“异议不成立”"):
        services.objection_answer(actor=municipal, objection_id=objection.pk, upheld=False, reply="改判")


def test_publicity_withdrawn_sends_round_back_to_evaluation(candidate, eval_round, municipal, panel):
    publicity = open_publicity(eval_round, candidate, municipal, panel)
    with pytest.raises(DomainError, match="撤回公示必须填写理由"):
        services.publicity_withdraw(actor=municipal, round_id=eval_round.pk, reason="")
    services.publicity_withdraw(actor=municipal, round_id=eval_round.pk, reason="异议成立，重新审议")
    publicity.refresh_from_db()
    eval_round.refresh_from_db()
    assert (publicity.status, eval_round.status) == (PublicityStatus.WITHDRAWN, RoundStatus.EVALUATING)


def test_an_objection_draws_its_receipt_code_again_after_collisions(candidate, eval_round, municipal, panel):
    publicity = open_publicity(eval_round, candidate, municipal, panel)
    first = services.objection_create(publicity_id=publicity.pk, content="异议内容足够长，具体事实如下。")
    codes = iter([first.code, first.code, "FRESHCODE2"])
    with mock.patch("qujing_disclosure.core.receipts.receipt_code_new", side_effect=lambda length: next(codes)):
        second = services.objection_create(publicity_id=publicity.pk, content="另一件异议，内容足够长，事实如下。")
    assert (second.code, Objection.objects.count()) == ("FRESHCODE2", 2)


def test_an_objection_whose_every_receipt_code_collides_is_refused_with_a_message_not_a_crash(candidate, eval_round, municipal, panel):
    publicity = open_publicity(eval_round, candidate, municipal, panel)
    first = services.objection_create(publicity_id=publicity.pk, content="异议内容足够长，具体事实如下。")
    with mock.patch("qujing_disclosure.core.receipts.receipt_code_new", return_value=first.code):
        with pytest.raises(DomainError) as exc:
            services.objection_create(publicity_id=publicity.pk, content="另一件异议，内容足够长，事实如下。")
    assert (exc.value.code, exc.value.field, str(exc.value)) == ("receipt_code_exhausted", "content", "系统繁忙，请稍后再试。")
    assert Objection.objects.count() == 1


def test_answering_an_objection_records_the_reply_as_the_new_value(candidate, eval_round, municipal, panel):
    publicity = open_publicity(eval_round, candidate, municipal, panel)
    objection = services.objection_create(publicity_id=publicity.pk, content="异议内容足够长，具体事实如下。")
    services.objection_answer(actor=municipal, objection_id=objection.pk, upheld=False, reply="经核实，不成立。")
    entry = AuditEntry.objects.get(action="evaluation.objection.answer")
    assert (entry.actor, entry.from_state, entry.to_state, entry.data["changes"]["reply"]) == (
        municipal, "received", "dismissed", {"old": "", "new": "经核实，不成立。"})
