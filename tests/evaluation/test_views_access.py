"""Role × page/endpoint matrix: out of scope answers 404 (never 403); anonymous users go to the login."""
import datetime

import pytest
from django.utils import timezone

from evaluation import services
from evaluation.models import Objection
from sites.enums import RoundStatus
from sites.models import Round

from .factories import listed_round

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "municipal", "leading", "evaluator", "county_user", "other_county_user", "org_user"]


@pytest.fixture
def world(eval_round, candidate, other_candidate, evaluator, other_evaluator, municipal):
    """麒麟区's candidate is scored by the 沾益区 evaluator; 沾益区's by the 马龙区 evaluator."""
    mine = services.assignment_create(actor=municipal, candidate_id=candidate.pk, evaluator_id=evaluator.pk)
    services.assignment_declare(actor=evaluator, assignment_id=mine.pk, conflict=False)
    theirs = services.assignment_create(actor=municipal, candidate_id=other_candidate.pk, evaluator_id=other_evaluator.pk)
    team = services.team_save(actor=municipal, round_id=eval_round.pk, name="第一组", member_ids=[evaluator.pk])
    return {"round": eval_round, "mine": mine, "theirs": theirs, "candidate": candidate, "other_candidate": other_candidate, "team": team}


def _client(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


def _expect(role, allowed):
    if role == "anonymous":
        return 302
    return 200 if role in allowed else 404


STAFF = {"municipal"}
READERS = {"municipal", "leading"}
PAGES = [
    ("tasks", lambda w: "/portal/evaluation/", {"municipal", "evaluator"}),
    ("own assignment", lambda w: f"/portal/evaluation/assignments/{w['mine'].pk}/", {"evaluator"}),
    ("someone else's assignment", lambda w: f"/portal/evaluation/assignments/{w['theirs'].pk}/", set()),
    ("rounds", lambda w: "/portal/evaluation/rounds/", READERS),
    ("round", lambda w: f"/portal/evaluation/rounds/{w['round'].pk}/", READERS),
    ("ranking", lambda w: f"/portal/evaluation/rounds/{w['round'].pk}/ranking/", READERS),
    ("calibration", lambda w: f"/portal/evaluation/rounds/{w['round'].pk}/calibration/", READERS),
    ("ranking export", lambda w: f"/portal/evaluation/rounds/{w['round'].pk}/export/ranking.xlsx", READERS),
    ("deliberation", lambda w: f"/portal/evaluation/rounds/{w['round'].pk}/deliberation/", READERS),
    ("publicity form", lambda w: f"/portal/evaluation/rounds/{w['round'].pk}/publicity/", STAFF),
    ("award", lambda w: f"/portal/evaluation/rounds/{w['round'].pk}/award/", STAFF),
    ("reevaluation", lambda w: f"/portal/evaluation/rounds/{w['round'].pk}/reevaluation/", STAFF),
    ("candidate (before publicity)", lambda w: f"/portal/evaluation/candidates/{w['candidate'].pk}/", READERS),
    ("democratic", lambda w: f"/portal/evaluation/candidates/{w['candidate'].pk}/democratic/", STAFF),
    ("objections", lambda w: "/portal/evaluation/objections/", STAFF),
    ("subsidies", lambda w: "/portal/evaluation/subsidies/", STAFF),
    ("team sheet", lambda w: f"/portal/evaluation/teams/{w['team'].pk}/sheet.xlsx", STAFF),
    ("team import", lambda w: f"/portal/evaluation/teams/{w['team'].pk}/import/", STAFF),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, url, allowed", PAGES, ids=[p[0] for p in PAGES])
def test_portal_page_matrix(client, request, world, role, name, url, allowed):
    response = _client(client, request, role).get(url(world))
    assert response.status_code == _expect(role, allowed)


@pytest.mark.parametrize("role, expected", [("county_user", 200), ("other_county_user", 404), ("evaluator", 404), ("org_user", 404), ("municipal", 200)])
def test_county_reads_own_candidate_once_publicity_opens(client, request, world, role, expected):
    Round.objects.filter(pk=world["round"].pk).update(status=RoundStatus.PUBLICITY)
    response = _client(client, request, role).get(f"/portal/evaluation/candidates/{world['candidate'].pk}/")
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_staff_posts_are_404_for_everyone_else(client, request, world, role):
    response = _client(client, request, role).post(f"/portal/evaluation/rounds/{world['round'].pk}/do/candidates/")
    assert response.status_code == {"anonymous": 302, "municipal": 302}.get(role, 404)


# --- API --------------------------------------------------------------------------------------
@pytest.mark.parametrize("role, count", [("municipal", 2), ("leading", 2), ("evaluator", 1), ("county_user", 0), ("other_county_user", 0), ("org_user", 0)])
def test_api_assignments_are_scoped(api_client_for, request, world, role, count):
    response = api_client_for(role).get("/api/v1/evaluation/assignments/")
    assert (response.status_code, response.json()["count"]) == (200, count)


def test_api_assignments_anonymous_refused(client, world):
    assert client.get("/api/v1/evaluation/assignments/").status_code == 401


@pytest.mark.parametrize("role, expected", [("evaluator", 404), ("county_user", 404), ("org_user", 404), ("municipal", 200)])
def test_api_other_evaluators_assignment_is_404(api_client_for, world, role, expected):
    assert api_client_for(role).get(f"/api/v1/evaluation/assignments/{world['theirs'].pk}/").status_code == expected


def test_api_staff_cannot_write_an_evaluators_scorecard(api_client_for, world):
    response = api_client_for("municipal").post(f"/api/v1/evaluation/assignments/{world['mine'].pk}/submit/")
    assert response.status_code == 404


def test_api_evaluator_scores_and_submits(api_client_for, world, eval_round):
    api = api_client_for("evaluator")
    scores = [{"criterion": c.pk, "points": str(c.max_points - 1), "methods": c.methods[:1], "notes": ""} for c in eval_round.evaluation_table.criteria.all()]
    response = api.put(f"/api/v1/evaluation/assignments/{world['mine'].pk}/scorecard/", {"scores": scores}, format="json")
    assert (response.status_code, response.json()["scorecard"]["total"]) == (200, "92.00")
    response = api.post(f"/api/v1/evaluation/assignments/{world['mine'].pk}/submit/")
    assert response.json()["scorecard"]["state"] == "submitted"


def test_api_score_above_maximum_is_400_with_field(api_client_for, world, eval_round):
    content = eval_round.evaluation_table.criteria.get(name="公开内容")
    response = api_client_for("evaluator").put(f"/api/v1/evaluation/assignments/{world['mine'].pk}/scorecard/",
                                               {"scores": [{"criterion": content.pk, "points": "21", "methods": ["materials"]}]}, format="json")
    assert response.status_code == 400
    assert response.json()[f"points_{content.pk}"] == ["“公开内容”满分20分，得分21分超过满分。"]


def test_api_panel_hidden_until_own_submission(api_client_for, world, panel, municipal):
    from .factories import submit_card

    submit_card(panel[0], world["candidate"])
    assert api_client_for("evaluator").get(f"/api/v1/evaluation/assignments/{world['mine'].pk}/panel/").json() == []


@pytest.mark.parametrize("role, visible", [("county_user", 1), ("other_county_user", 1), ("org_user", 0), ("evaluator", 1)])
def test_api_candidates_for_county_only_after_publicity_and_own(api_client_for, world, role, visible):
    before = api_client_for(role).get("/api/v1/evaluation/candidates/").json()["count"]
    Round.objects.filter(pk=world["round"].pk).update(status=RoundStatus.PUBLICITY)
    after = api_client_for(role).get("/api/v1/evaluation/candidates/").json()
    assert (before if role != "evaluator" else 1, after["count"]) == (0 if role != "evaluator" else 1, visible)
    if role == "evaluator":
        assert after["results"][0]["results"] is None  # evaluators never read the panel result here


def test_api_county_reads_its_candidates_results(api_client_for, world, panel):
    from .factories import submit_card

    submit_card(panel[0], world["candidate"])
    Round.objects.filter(pk=world["round"].pk).update(status=RoundStatus.PUBLICITY)
    [row] = api_client_for("county_user").get("/api/v1/evaluation/candidates/").json()["results"]
    assert (row["organization"], row["results"]["score"]) == ("麒麟区第一党支部", "90.00")


def test_api_public_reads_publicity_and_creates_objection_nothing_more(client, eval_round, candidate, municipal, panel):
    listed_round(eval_round, candidate, municipal, evaluators=panel[:1])
    today = timezone.localdate()
    publicity = services.publicity_open(actor=municipal, round_id=eval_round.pk, starts_on=today, ends_on=today + datetime.timedelta(days=6))
    [item] = client.get("/api/v1/evaluation/publicity/").json()
    assert [e["organization"] for e in item["entries"]] == ["麒麟区第一党支部"]
    response = client.post("/api/v1/evaluation/objections/", {"publicity": publicity.pk, "content": "公开栏内容与实际不符，多项为补做。",
                                                              "objector_contact": "138"}, content_type="application/json")
    assert response.status_code == 201 and set(response.json()) == {"code", "state"}
    assert client.get("/api/v1/evaluation/objections/").status_code == 401
    assert client.get(f"/api/v1/evaluation/objections/{Objection.objects.get().pk}/").status_code == 401


@pytest.mark.parametrize("role, count", [("municipal", 1), ("leading", 0), ("county_user", 0), ("other_county_user", 0), ("evaluator", 0),
                                         ("org_user", 0)])
def test_api_objections_with_contact_only_for_the_municipal_office(api_client_for, eval_round, candidate, municipal, panel, role, count):
    """R8: the office handles objections and alone reads the objector's contact details; the leading group
    reads none here (as in the portal), nor does anyone else."""
    listed_round(eval_round, candidate, municipal, evaluators=panel[:1])
    today = timezone.localdate()
    publicity = services.publicity_open(actor=municipal, round_id=eval_round.pk, starts_on=today, ends_on=today + datetime.timedelta(days=6))
    objection = services.objection_create(publicity_id=publicity.pk, content="异议内容足够长，具体事实如下。", objector_contact="13800000000")
    api = api_client_for(role)
    body = api.get("/api/v1/evaluation/objections/").json()
    assert body["count"] == count
    detail = api.get(f"/api/v1/evaluation/objections/{objection.pk}/")
    if count:
        assert body["results"][0]["objector_contact"] == "13800000000"
        assert detail.json()["objector_contact"] == "13800000000"
    else:
        assert detail.status_code == 404 and "13800000000" not in detail.content.decode()


@pytest.mark.parametrize("role, status", [("county_user", 201), ("other_county_user", 404), ("org_user", 404), ("municipal", 201)])
def test_api_inspection_create_scoped(api_client_for, org, role, status):
    response = api_client_for(role).post("/api/v1/evaluation/inspections/", {
        "organization": org.pk, "kind": "daily", "inspected_on": timezone.localdate().isoformat(), "findings": "未按月更新", "rating": "fair"}, format="json")
    assert response.status_code == status


def test_ranking_page_states_the_trimmed_mean_rule(client, municipal, world):
    client.force_login(municipal)
    body = client.get(f"/portal/evaluation/rounds/{world['round'].pk}/ranking/").content.decode()
    assert "考评人员达到 5 人及以上时，先去掉一个最高分和一个最低分再平均" in body


@pytest.mark.parametrize("role, expected", [("municipal", 200), ("leading", 200), ("evaluator", 404), ("county_user", 404), ("org_user", 404)])
def test_api_ranking_for_office_and_leading_group_only(api_client_for, world, role, expected):
    response = api_client_for(role).get(f"/api/v1/evaluation/rounds/{world['round'].pk}/ranking/")
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["trim_from"] == 5


@pytest.mark.parametrize("role, expected", [("municipal", 400), ("leading", 404), ("county_user", 404), ("evaluator", 404)])
def test_api_shortlist_is_staff_work_and_explains_refusal(api_client_for, world, role, expected):
    response = api_client_for(role).post(f"/api/v1/evaluation/rounds/{world['round'].pk}/shortlist/add/",
                                         {"application": world["candidate"].application_id}, format="json")
    assert response.status_code == expected
    if expected == 400:
        assert response.json()["application"] == ["该单位还有考评人员未提交评分，不能列入初选名单。"]


def test_api_full_staff_flow_to_award(api_client_for, world, eval_round, evaluator, panel):
    import time_machine

    from .factories import submit_card

    staff, leading = api_client_for("municipal"), api_client_for("leading")
    api = api_client_for("evaluator")
    scores = [{"criterion": c.pk, "points": str(c.max_points), "methods": c.methods[:1]} for c in eval_round.evaluation_table.criteria.all()]
    api.put(f"/api/v1/evaluation/assignments/{world['mine'].pk}/scorecard/", {"scores": scores}, format="json")
    api.post(f"/api/v1/evaluation/assignments/{world['mine'].pk}/submit/")
    submit_card(panel[0], world["candidate"])
    assert staff.post(f"/api/v1/evaluation/rounds/{eval_round.pk}/shortlist/add/", {"application": world["candidate"].application_id}, format="json").status_code == 200
    today = timezone.localdate()
    assert leading.post(f"/api/v1/evaluation/rounds/{eval_round.pk}/deliberation/",
                        {"meeting_date": today.isoformat(), "attendees": "全体", "decision": "approved"}, format="json").status_code == 201
    response = staff.post(f"/api/v1/evaluation/rounds/{eval_round.pk}/publicity/",
                          {"starts_on": today.isoformat(), "ends_on": (today + datetime.timedelta(days=6)).isoformat()}, format="json")
    assert response.status_code == 201
    with time_machine.travel(today + datetime.timedelta(days=8)):
        response = staff.post(f"/api/v1/evaluation/rounds/{eval_round.pk}/award/", {}, format="json")
    assert [d["plaque_number"] for d in response.json()["designations"]] == [f"QJ-X-{eval_round.year}-001"]


@pytest.mark.parametrize("role, count", [("municipal", 1), ("leading", 0), ("county_user", 0)])
def test_api_subsidies_office_only(api_client_for, db, role, count):
    from evaluation.models import SubsidyPayment
    from tests import factories as f

    SubsidyPayment.objects.create(designation=f.DesignationFactory(level="city"), amount=3000)
    assert api_client_for(role).get("/api/v1/evaluation/subsidies/").json()["count"] == count


@pytest.mark.parametrize("role, expected", [("anonymous", 302), ("municipal", 200), ("leading", 200), ("county_user", 200),
                                            ("other_county_user", 200), ("evaluator", 404), ("org_user", 404)])
def test_inspection_page_matrix(client, request, world, role, expected):
    assert _client(client, request, role).get("/portal/evaluation/inspections/").status_code == expected


def test_county_sees_only_own_inspections_and_records_for_own_units(client, county_user, org, other_org, municipal):
    from .factories import InspectionFactory

    InspectionFactory(organization=org, findings="麒麟区的检查")
    InspectionFactory(organization=other_org, findings="沾益区的检查")
    client.force_login(county_user)
    body = client.get("/portal/evaluation/inspections/").content.decode()
    assert "麒麟区的检查" in body and "沾益区的检查" not in body
    response = client.post("/portal/evaluation/inspections/", {"organization": other_org.pk, "kind": "daily", "inspected_on": timezone.localdate().isoformat(),
                                                              "findings": "越权记录", "rating": "fair"})
    assert response.status_code == 400  # not a choice for this county office
    client.post("/portal/evaluation/inspections/", {"organization": org.pk, "kind": "special", "inspected_on": timezone.localdate().isoformat(),
                                                   "findings": "公开栏未更新", "rating": "fair"})
    assert org.inspections.filter(findings="公开栏未更新").exists()
