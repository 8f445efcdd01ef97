"""A county office reaches its candidates' results in the portal once the publicity opens (R8), and a team
leader reaches the team's score sheet; both from the portal menu and the dashboard."""
import pytest
from django.urls import reverse

from evaluation import services
from sites.enums import RoundStatus
from sites.models import Round

from .factories import submit_card

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "municipal", "leading", "evaluator", "county_user", "other_county_user", "org_user"]
URL = "/portal/evaluation/results/"


def _login(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


@pytest.fixture
def published(eval_round, candidate, other_candidate, panel):
    submit_card(panel[0], candidate, "0.9")
    submit_card(panel[1], candidate, "0.8")
    submit_card(panel[0], other_candidate, "0.7")
    Round.objects.filter(pk=eval_round.pk).update(status=RoundStatus.PUBLICITY)
    return eval_round


@pytest.mark.parametrize("role", ROLES)
def test_results_page_matrix(client, request, published, role):
    expected = {"anonymous": 302, "county_user": 200, "other_county_user": 200}.get(role, 404)
    assert _login(client, request, role).get(URL).status_code == expected


def test_county_office_sees_its_own_candidates_results_with_links(client, county_user, published, candidate, other_candidate):
    client.force_login(county_user)
    body = client.get(URL).content.decode()
    assert "麒麟区第一党支部" in body and "85.00" in body
    assert f'href="/portal/evaluation/candidates/{candidate.pk}/"' in body
    assert "沾益区某党支部" not in body and "70.00" not in body
    assert '<svg class="chart strip"' in body  # the panel's spread, as a picture
    # The link opens the candidate's results.
    assert "85.00" in client.get(f"/portal/evaluation/candidates/{candidate.pk}/").content.decode()
    assert client.get(f"/portal/evaluation/candidates/{other_candidate.pk}/").status_code == 404


def test_nothing_is_listed_before_the_publicity_opens(client, county_user, eval_round, candidate, panel):
    submit_card(panel[0], candidate, "0.9")
    client.force_login(county_user)
    body = client.get(URL).content.decode()
    assert "暂无已公示的考评结果。" in body and "麒麟区第一党支部" not in body


def test_county_menu_and_dashboard_lead_to_the_results(client, county_user, published):
    client.force_login(county_user)
    dashboard = client.get(reverse("portal:dashboard")).content.decode()
    assert f'href="{URL}"' in dashboard
    assert "本辖区已公示考评结果的考评对象 1 个" in dashboard


@pytest.mark.parametrize("role", ["municipal", "leading", "evaluator", "org_user"])
def test_others_get_no_results_link(client, request, published, role):
    body = _login(client, request, role).get(reverse("portal:dashboard")).content.decode()
    assert f'href="{URL}"' not in body


def test_results_page_query_count_is_constant(client, county_user, published, county, panel, django_assert_max_num_queries):
    from tests import factories as f

    from .factories import recommended_application

    def add(n):
        Round.objects.filter(pk=published.pk).update(status=RoundStatus.EVALUATING)
        for _ in range(n):
            app = recommended_application(published, f.OrganizationFactory(jurisdiction=county))
            services.candidates_sync(actor=None, round_id=published.pk)
            submit_card(panel[2], app.candidate, "0.85")
        Round.objects.filter(pk=published.pk).update(status=RoundStatus.PUBLICITY)

    client.force_login(county_user)
    client.get(URL)
    with django_assert_max_num_queries(15) as small:
        client.get(URL)
    add(3)
    with django_assert_max_num_queries(15) as large:
        body = client.get(URL).content.decode()
    assert len(small.captured_queries) == len(large.captured_queries)
    assert body.count("/portal/evaluation/candidates/") == 4


# --- the team leader's sheets ---------------------------------------------------------------------
@pytest.fixture
def team(eval_round, candidate, panel, municipal):
    team = services.team_save(actor=municipal, round_id=eval_round.pk, name="第一考评组", member_ids=[panel[0].pk, panel[1].pk],
                              leader_id=panel[0].pk)
    services.candidate_assign_team(actor=municipal, candidate_id=candidate.pk, team_id=team.pk)
    return team


def test_team_leader_has_a_menu_link_to_the_team_sheet(client, team, panel):
    client.force_login(panel[0])
    body = client.get(reverse("portal:dashboard")).content.decode()
    assert 'href="/portal/evaluation/teams/"' in body
    page = client.get("/portal/evaluation/teams/").content.decode()
    assert "第一考评组" in page and f'href="/portal/evaluation/teams/{team.pk}/sheet.xlsx"' in page
    assert f'href="/portal/evaluation/teams/{team.pk}/import/"' in page


def test_a_member_who_does_not_lead_has_no_team_link_and_sees_no_team(client, team, panel):
    client.force_login(panel[1])
    assert 'href="/portal/evaluation/teams/"' not in client.get(reverse("portal:dashboard")).content.decode()
    page = client.get("/portal/evaluation/teams/").content.decode()
    assert "第一考评组" not in page and "暂无由您担任组长的考评组。" in page


@pytest.mark.parametrize("role, expected", [("anonymous", 302), ("municipal", 200), ("leading", 404), ("evaluator", 200), ("county_user", 404),
                                            ("other_county_user", 404), ("org_user", 404)])
def test_teams_page_matrix(client, request, team, role, expected):
    assert _login(client, request, role).get("/portal/evaluation/teams/").status_code == expected
