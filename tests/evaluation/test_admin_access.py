"""The evaluation admin is the municipal office's tool: its role decides (core.admin_access), not
Django's model permissions; a county office wrongly marked is_staff is refused; nothing is deleted."""
import pytest
from django.urls import reverse

from evaluation import services
from tests import factories as f

from .factories import InspectionFactory, submit_card

pytestmark = pytest.mark.django_db

MODELS = ["evaluationtable", "team", "inspection", "casestory", "objection", "assignment", "scorecard", "deliberation",
          "publicity", "subsidypayment", "revocation"]
EDITABLE = ["evaluationtable", "team", "inspection", "casestory"]


@pytest.fixture
def office(db):
    """Like the demo's `office`: the municipal office's staff account, not a superuser, no model permissions."""
    user = f.municipal_user(username="office")
    assert (user.is_staff, user.is_superuser, user.user_permissions.count()) == (True, False, 0)
    return user


@pytest.fixture
def staff_county_user(county):
    return f.county_user(county, username="staff_county", is_staff=True)


@pytest.fixture
def rows(eval_round, candidate, panel, municipal):
    """One row of every evaluation model the admin lists (as far as a round in evaluation has them)."""
    card = submit_card(panel[0], candidate)
    team = services.team_save(actor=municipal, round_id=eval_round.pk, name="第一组", member_ids=[panel[1].pk])
    inspection = InspectionFactory(organization=candidate.organization, recorded_by=municipal)
    return {"evaluationtable": eval_round.evaluation_table, "team": team, "inspection": inspection, "scorecard": card,
            "assignment": card.assignment}


@pytest.mark.parametrize("model", MODELS)
def test_municipal_office_opens_every_evaluation_changelist(client, office, eval_round, model):
    client.force_login(office)
    assert client.get(f"/admin/evaluation/{model}/").status_code == 200


def test_municipal_office_sees_the_evaluation_section_on_the_admin_index(client, office, eval_round):
    client.force_login(office)
    page = client.get("/admin/").content.decode()
    assert "/admin/evaluation/evaluationtable/" in page and "/admin/evaluation/revocation/" in page


@pytest.mark.parametrize("model", EDITABLE)
def test_municipal_office_may_add_what_the_admin_edits(client, office, eval_round, model):
    client.force_login(office)
    assert client.get(f"/admin/evaluation/{model}/add/").status_code == 200


@pytest.mark.parametrize("model", sorted(set(MODELS) - set(EDITABLE)))
def test_workflow_records_cannot_be_added_in_the_admin(client, office, eval_round, model):
    client.force_login(office)
    assert client.get(f"/admin/evaluation/{model}/add/").status_code == 403


def test_municipal_office_edits_the_table_with_its_criteria(client, office, eval_round):
    client.force_login(office)
    page = client.get(f"/admin/evaluation/evaluationtable/{eval_round.evaluation_table.pk}/change/").content.decode()
    assert "公开内容" in page and 'name="criteria-TOTAL_FORMS"' in page


def test_municipal_office_records_an_inspection_in_the_admin(client, office, org):
    from evaluation.models import Inspection

    client.force_login(office)
    response = client.post("/admin/evaluation/inspection/add/", {
        "organization": org.pk, "kind": "daily", "inspected_on": "2026-05-06", "inspectors": "检查组",
        "findings": "公开栏按月更新", "rating": "good"})
    assert response.status_code == 302
    assert Inspection.objects.get().recorded_by == office


def test_municipal_office_adds_a_team_in_the_admin(client, office, eval_round, evaluator):
    from evaluation.models import Team

    client.force_login(office)
    response = client.post("/admin/evaluation/team/add/", {"round": eval_round.pk, "name": "第三组", "members": [evaluator.pk],
                                                           "leader": evaluator.pk})
    assert response.status_code == 302
    assert list(Team.objects.get(name="第三组").members.all()) == [evaluator]


@pytest.mark.parametrize("model", MODELS)
def test_staff_flag_alone_does_not_open_the_evaluation_admin(client, staff_county_user, eval_round, model):
    client.force_login(staff_county_user)
    assert client.get(f"/admin/evaluation/{model}/").status_code == 403


@pytest.mark.parametrize("role", ["leading", "evaluator", "county_user"])
def test_other_roles_are_kept_out_of_the_evaluation_admin(client, request, eval_round, role):
    user = request.getfixturevalue(role)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    assert client.get("/admin/evaluation/evaluationtable/").status_code == 403


@pytest.mark.parametrize("model", ["evaluationtable", "team", "inspection", "scorecard", "assignment"])
def test_nothing_is_deleted_in_the_evaluation_admin(client, office, rows, model):
    obj = rows[model]
    client.force_login(office)
    assert client.get(reverse(f"admin:evaluation_{model}_delete", args=[obj.pk])).status_code == 403
    assert client.post(reverse(f"admin:evaluation_{model}_delete", args=[obj.pk]), {"post": "yes"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()
    page = client.get(f"/admin/evaluation/{model}/").content.decode()
    assert "delete_selected" not in page


def test_workflow_records_are_read_only_for_the_office(client, office, rows):
    card = rows["scorecard"]
    client.force_login(office)
    response = client.post(f"/admin/evaluation/scorecard/{card.pk}/change/", {"total": "1"})
    assert response.status_code == 403
    card.refresh_from_db()
    assert str(card.total) == "90.00"
