"""Evaluation in a real browser: an evaluator declares and scores a candidate (R4, R5); a member of
the public objects on /publicity/ and later reads the answer by receipt code (R8)."""
import datetime
import re

import pytest
from django.utils import timezone

from evaluation import services
from evaluation.models import Candidate, Objection, Scorecard
from sites.enums import RoundStatus
from sites.models import Round
from tests.evaluation.factories import evaluator_user, listed_round, recommended_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-Word-123"  # tests.factories.UserFactory


def _text(page):
    return re.sub(r"\s+", " ", page.inner_text("main"))


@pytest.fixture
def evaluating(open_round, org):
    Round.objects.filter(pk=open_round.pk).update(status=RoundStatus.EVALUATING)
    open_round.refresh_from_db()
    services.table_create_default(actor=None, round_id=open_round.pk)
    recommended_application(open_round, org)
    services.candidates_sync(actor=None, round_id=open_round.pk)
    return open_round


def test_evaluator_declares_and_scores_a_candidate(transactional_db, live_server, page, portal_login, artifacts, evaluating, evaluator, org):
    candidate = Candidate.objects.get(round=evaluating)
    services.assignment_create(actor=None, candidate_id=candidate.pk, evaluator_id=evaluator.pk)
    portal_login(page, evaluator.username, PASSWORD)
    page.goto(f"{live_server.url}/portal/evaluation/")
    assert org.name in _text(page)
    page.get_by_role("link", name="打开").click()
    page.get_by_label("本人与该单位不存在利益冲突", exact=False).check()
    page.get_by_role("button", name="提交声明").click()
    assert "已声明无利益冲突" in _text(page)

    criteria = list(evaluating.evaluation_table.criteria.all())
    content = next(c for c in criteria if c.name == "公开内容")
    satisfaction = next(c for c in criteria if c.name == "群众满意度")
    for c in criteria:
        page.fill(f"#id_points_{c.pk}", str(c.max_points - 1))
        page.locator(f"input[name=methods_{c.pk}]").first.check()
    # Two decimals, as a 民主测评 suggestion has them: the browser's own validation must let them through.
    page.fill(f"#id_points_{content.pk}", "")
    page.locator(f"#id_points_{content.pk}").type("19.25")
    page.fill(f"#id_points_{satisfaction.pk}", "")
    page.locator(f"#id_points_{satisfaction.pk}").type("14.56")
    assert page.eval_on_selector(f"#id_points_{content.pk}", "el => el.checkValidity()") is True
    assert page.eval_on_selector(f"#id_points_{satisfaction.pk}", "el => el.checkValidity()") is True
    page.get_by_role("button", name="提交评分（提交后锁定）").click()
    page.wait_for_selector("text=已提交并锁定")
    page.screenshot(path=str(artifacts / "evaluation-scored.png"), full_page=True)
    card = Scorecard.objects.get()
    assert (card.state, str(card.total)) == ("submitted", "92.81")
    assert "总分 92.81" in _text(page)


def test_public_objects_and_reads_the_answer_by_code(transactional_db, live_server, page, phone_page, artifacts, evaluating, municipal, org):
    candidate = Candidate.objects.get(round=evaluating)
    panel = [evaluator_user(username=f"p{i}") for i in range(2)]
    listed_round(evaluating, candidate, municipal, evaluators=panel)
    today = timezone.localdate()
    services.publicity_open(actor=municipal, round_id=evaluating.pk, starts_on=today, ends_on=today + datetime.timedelta(days=6))

    page.goto(f"{live_server.url}/publicity/")
    assert org.name in _text(page) and "90.00" in _text(page)
    page.select_option("select[name$='-entry']", label=f"麒麟区 · {org.name}")
    page.fill("textarea[name$='-content']", "该单位公开栏长期没有更新，<b>请核实</b>。")
    page.fill("input[name$='-objector_contact']", "citizen@example.cn")
    page.get_by_role("button", name="提交异议").click()
    code = page.locator(".receipt-code").inner_text().strip()
    assert len(code) == 10

    objection = Objection.objects.get(code=code)
    services.objection_answer(actor=municipal, objection_id=objection.pk, upheld=False, reply="经核实，该单位公开栏每月1—10日更新，异议不成立。")

    phone_page.goto(f"{live_server.url}/publicity/")
    phone_page.fill("#id_code", code.lower())
    phone_page.get_by_role("button", name="查询").click()
    text = _text(phone_page)
    phone_page.screenshot(path=str(artifacts / "evaluation-objection-answer.png"), full_page=True)
    assert "经核实，该单位公开栏每月1—10日更新，异议不成立。" in text
    assert "<b>请核实</b>" in text  # shown as text, not markup
    assert "citizen@example.cn" not in text
