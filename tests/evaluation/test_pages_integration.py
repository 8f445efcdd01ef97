"""Staff pages: the revocation decision on the re-evaluation queue (R10) and when a scorecard may be reopened."""
import datetime

import pytest

from evaluation import services
from evaluation.models import Candidate
from sites.enums import RoundStatus
from sites.models import Round
from tests import factories as f

from .factories import submit_card

pytestmark = pytest.mark.django_db


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


def _row(page, name):
    row = page[page.index(name):]
    return row[: row.index("</tr>")]


def test_reevaluation_page_shows_the_revocation_decision_and_plaque_recall(client, municipal, reevaluations):
    kept, failed = reevaluations
    client.force_login(municipal)
    page = client.get(f"/portal/evaluation/rounds/{failed.round_id}/reevaluation/").content.decode()
    revoked = _row(page, "撤销的示范点")
    assert "撤销称号" in revoked
    assert "决定文号：曲党务公开办〔2026〕7号；决定日期：2026-03-02" in revoked
    assert "牌匾收回日期：2026-03-09" in revoked
    retained = _row(page, "保留的示范点")
    assert "保留称号" in retained and "决定文号" not in retained


def test_reevaluation_page_says_when_the_plaque_is_not_yet_recalled(client, municipal, reevaluations):
    from evaluation.models import Revocation

    _kept, failed = reevaluations
    Revocation.objects.filter(candidate=failed).update(plaque_recalled_on=None)
    client.force_login(municipal)
    page = client.get(f"/portal/evaluation/rounds/{failed.round_id}/reevaluation/").content.decode()
    assert "牌匾尚未收回" in _row(page, "撤销的示范点")


def test_ranking_selector_carries_the_revocation(reevaluations):
    from evaluation import selectors

    _kept, failed = reevaluations
    [group] = selectors.ranking(failed.round)
    rows = {r["candidate"].organization_name: r["candidate"] for r in group["reevaluation"]}
    revoked = rows["撤销的示范点"]
    assert (revoked.revocation_ref, revoked.revoked_on, revoked.plaque_recalled_on) == (
        "曲党务公开办〔2026〕7号", datetime.date(2026, 3, 2), datetime.date(2026, 3, 9))
    assert rows["保留的示范点"].revocation_ref is None


# --- reopening a submitted scorecard: only while the round is being evaluated ---------------------
REOPEN_BUTTON = "退回修改"


@pytest.mark.parametrize("status, shown", [(RoundStatus.EVALUATING, True), (RoundStatus.PUBLICITY, False), (RoundStatus.FINISHED, False)])
def test_reopen_button_only_while_the_round_is_evaluated(client, municipal, candidate, panel, status, shown):
    submit_card(panel[0], candidate)
    Round.objects.filter(pk=candidate.round_id).update(status=status)
    client.force_login(municipal)
    page = client.get(f"/portal/evaluation/candidates/{candidate.pk}/").content.decode()
    assert (REOPEN_BUTTON in page) is shown
    assert "90.00" in page


def test_leading_group_never_sees_the_reopen_button(client, leading, candidate, panel):
    submit_card(panel[0], candidate)
    client.force_login(leading)
    page = client.get(f"/portal/evaluation/candidates/{candidate.pk}/").content.decode()
    assert "90.00" in page and REOPEN_BUTTON not in page


def test_reopen_still_works_from_the_candidate_page_while_evaluating(client, municipal, candidate, panel):
    card = submit_card(panel[0], candidate)
    client.force_login(municipal)
    response = client.post(f"/portal/evaluation/scorecards/{card.pk}/reopen/", {"reason": "方法填写不全"})
    assert response.status_code == 302
    card.refresh_from_db()
    assert (card.state, card.reopen_reason) == ("draft", "方法填写不全")
