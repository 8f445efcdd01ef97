"""Admin pages for staff and who may download evaluation files."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluation import services
from evaluation.models import Team
from qujing_disclosure.core.media import may_download
from tests import factories as f

pytestmark = pytest.mark.django_db

MODELS = ["evaluationtable", "team", "inspection", "casestory", "objection", "assignment", "scorecard", "deliberation",
          "publicity", "subsidypayment", "revocation"]


@pytest.fixture
def admin_user(db):
    return f.UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("model", MODELS)
def test_admin_changelists_open(client, admin_user, eval_round, model):
    client.force_login(admin_user)
    assert client.get(f"/admin/evaluation/{model}/").status_code == 200


def test_admin_table_page_opens(client, admin_user, eval_round):
    client.force_login(admin_user)
    assert client.get(f"/admin/evaluation/evaluationtable/{eval_round.evaluation_table.pk}/change/").status_code == 200


def test_admin_team_refuses_county_user_r5(client, admin_user, eval_round, county_user):
    client.force_login(admin_user)
    response = client.post("/admin/evaluation/team/add/", {"round": eval_round.pk, "name": "第三组", "members": [county_user.pk]})
    assert response.status_code == 200
    assert "不能加入考评组（R5）" in response.content.decode()
    assert not Team.objects.exists()


def test_admin_team_saved_through_service(client, admin_user, eval_round, evaluator):
    client.force_login(admin_user)
    client.post("/admin/evaluation/team/add/", {"round": eval_round.pk, "name": "第三组", "members": [evaluator.pk], "leader": evaluator.pk})
    team = Team.objects.get()
    assert list(team.members.all()) == [evaluator]


def test_evidence_downloadable_by_its_evaluator_and_staff_only(declared, evaluator, other_evaluator, municipal, county_user):
    png = SimpleUploadedFile("现场照片.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20)
    evidence = services.evidence_add(actor=evaluator, assignment_id=declared.pk, uploaded_file=png, title="公开栏照片")
    path = evidence.file.name
    assert [may_download(u, path) for u in (evaluator, municipal, other_evaluator, county_user)] == [True, True, False, False]
