"""What evaluation adds to shared places (evaluation.wiring): menu links, dashboards, media downloads, cache bumps, the R10 queue signal."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluation import services
from evaluation.models import Candidate
from qujing_disclosure.core.media import may_download
from sites.enums import RoundStatus
from tests import factories as f

from .factories import RESULTS_URL, login_as

pytestmark = pytest.mark.django_db


def test_evidence_downloadable_by_its_evaluator_and_staff_only(declared, evaluator, other_evaluator, municipal, county_user):
    png = SimpleUploadedFile("现场照片.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20)
    evidence = services.evidence_add(actor=evaluator, assignment_id=declared.pk, uploaded_file=png, title="公开栏照片")
    path = evidence.file.name
    assert [may_download(u, path) for u in (evaluator, municipal, other_evaluator, county_user)] == [True, True, False, False]


def test_r10_round_entering_evaluation_queues_active_sites_automatically(open_round, county, municipal, django_capture_on_commit_callbacks):
    from sites.services import round_set_status

    old = f.RoundFactory(organizer=open_round.organizer, status="finished", year=open_round.year - 2)
    site = f.DesignationFactory(organization=f.OrganizationFactory(jurisdiction=county), round=old, level=open_round.level,
                                awarded_on=datetime.date(open_round.year - 2, 6, 1))
    round_set_status(actor=municipal, round_id=open_round.pk, status=RoundStatus.CLOSED)
    with django_capture_on_commit_callbacks(execute=True):
        round_set_status(actor=municipal, round_id=open_round.pk, status=RoundStatus.EVALUATING)
    assert list(Candidate.objects.filter(round=open_round).values_list("designation_id", flat=True)) == [site.pk]


def test_dashboards_show_evaluator_tasks_and_staff_objections(client, evaluator, assignment, municipal):
    client.force_login(evaluator)
    assert "我的考评任务" in client.get("/portal/").content.decode()
    client.force_login(municipal)
    assert "公示异议" in client.get("/portal/").content.decode()


def test_publishing_a_story_refreshes_the_cached_home_page(client, municipal, settings):
    from tests import factories as f

    settings.PUBLIC_CACHE_SECONDS = 60
    designation = f.DesignationFactory()
    client.get("/")  # cached for anonymous readers
    story = services.story_save(actor=municipal, designation_id=designation.pk, title="晒出明白账", body="每月更新。")
    services.story_set_status(actor=municipal, story_id=story.pk, status="published")
    assert "晒出明白账" in client.get("/").content.decode()


def test_county_menu_and_dashboard_lead_to_the_results(client, county_user, published):
    client.force_login(county_user)
    dashboard = client.get(reverse("portal:dashboard")).content.decode()
    assert f'href="{RESULTS_URL}"' in dashboard
    assert "本辖区已公示考评结果的考评对象 1 个" in dashboard


@pytest.mark.parametrize("role", ["municipal", "admin", "leading", "evaluator", "org_user"])
def test_others_get_no_results_link(client, request, published, role):
    body = login_as(client, request, role).get(reverse("portal:dashboard")).content.decode()
    assert f'href="{RESULTS_URL}"' not in body


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
