"""What users see: the evaluator's scoring pages, the public publicity and objection pages, staff pages."""
import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from evaluation import services
from evaluation.enums import AssignmentState, ScorecardState
from evaluation.models import Assignment, Objection

from .factories import listed_round, submit_card

pytestmark = pytest.mark.django_db


def _form_data(table, fraction=0.9):
    data = {}
    for c in table.criteria.all():
        data[f"points_{c.pk}"] = str(round(float(c.max_points) * fraction, 2))
        data[f"methods_{c.pk}"] = c.methods[:1]
        data[f"notes_{c.pk}"] = "已核实"
    return data


def test_evaluator_declares_then_scores_and_submits(client, evaluator, assignment, eval_round):
    client.force_login(evaluator)
    page = client.get(f"/portal/evaluation/assignments/{assignment.pk}/").content.decode()
    assert "利益冲突声明（R5）" in page and "<h2>申报材料</h2>" not in page
    client.post(f"/portal/evaluation/assignments/{assignment.pk}/declare/", {"conflict": "no"})
    page = client.get(f"/portal/evaluation/assignments/{assignment.pk}/").content.decode()
    assert "<h2>申报材料</h2>" in page
    response = client.post(f"/portal/evaluation/assignments/{assignment.pk}/", {**_form_data(eval_round.evaluation_table), "submit": "1"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.scorecard.state, str(assignment.scorecard.total)) == (ScorecardState.SUBMITTED, "90.00")
    assert "已提交并锁定" in client.get(f"/portal/evaluation/assignments/{assignment.pk}/").content.decode()


def test_evaluator_sees_the_maximum_error_on_the_field(client, evaluator, declared, eval_round):
    client.force_login(evaluator)
    content = eval_round.evaluation_table.criteria.get(name="公开内容")
    data = {**_form_data(eval_round.evaluation_table), f"points_{content.pk}": "25", "save": "1"}
    response = client.post(f"/portal/evaluation/assignments/{declared.pk}/", data)
    assert response.status_code == 400
    assert "确保该值小于或等于20" in response.content.decode() or "满分20分" in response.content.decode()


def test_evaluator_declaring_conflict_is_taken_off(client, evaluator, assignment):
    client.force_login(evaluator)
    client.post(f"/portal/evaluation/assignments/{assignment.pk}/declare/", {"conflict": "yes", "note": "配偶在该单位工作"})
    assert Assignment.objects.get(pk=assignment.pk).state == AssignmentState.CONFLICTED
    assert client.get(f"/portal/evaluation/assignments/{assignment.pk}/").status_code == 404


def test_tasks_page_query_count_is_constant(client, evaluator, eval_round, county, django_assert_max_num_queries, municipal):
    from tests import factories as f

    from .factories import recommended_application

    def add(n):
        for _ in range(n):
            app = recommended_application(eval_round, f.OrganizationFactory(jurisdiction=county))
            services.candidates_sync(actor=None, round_id=eval_round.pk)
            services.assignment_create(actor=municipal, candidate_id=app.candidate.pk, evaluator_id=evaluator.pk)

    client.force_login(evaluator)
    add(1)
    client.get("/portal/evaluation/")
    with django_assert_max_num_queries(12) as small:
        client.get("/portal/evaluation/")
    add(3)
    with django_assert_max_num_queries(12) as large:
        client.get("/portal/evaluation/")
    assert len(small.captured_queries) == len(large.captured_queries)


# --- public ---------------------------------------------------------------------------------
@pytest.fixture
def publicity(eval_round, candidate, municipal, panel):
    listed_round(eval_round, candidate, municipal, evaluators=panel[:1])
    today = timezone.localdate()
    return services.publicity_open(actor=municipal, round_id=eval_round.pk, starts_on=today, ends_on=today + datetime.timedelta(days=6))


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def _objection(publicity, **extra):
    return {"publicity": publicity.pk, f"p{publicity.pk}-entry": publicity.entries.get().pk,
            f"p{publicity.pk}-content": "该单位公开栏长期未更新，内容陈旧。", f"p{publicity.pk}-objector_contact": "secret@example.cn", **extra}


def test_publicity_page_lists_units_with_score_and_period(client, publicity):
    body = client.get("/publicity/").content.decode()
    assert "麒麟区第一党支部" in body and "90.00" in body and "县级" in body
    # ISO dates, so the English page shows no Chinese date format.
    assert f"<strong>公示期</strong>：{publicity.starts_on:%Y-%m-%d} 至 {publicity.ends_on:%Y-%m-%d}（北京时间）" in body


def test_objection_gives_receipt_and_answer_is_readable_by_code(client, publicity, municipal):
    response = client.post("/publicity/", _objection(publicity))
    objection = Objection.objects.get()
    # Post/Redirect/Get: the receipt is the objection's page by code; reloading it objects nothing twice.
    assert (response.status_code, response["Location"]) == (302, f"/publicity/objections/{objection.code}/?new=1")
    receipt = client.get(response["Location"]).content.decode()
    assert "您的异议已受理" in receipt and f'class="receipt-code" style="font-size:1.5rem;letter-spacing:.1em">{objection.code}<' in receipt
    client.get(response["Location"])
    assert Objection.objects.count() == 1
    services.objection_answer(actor=municipal, objection_id=objection.pk, upheld=False, reply="经核实，该单位公开栏每月更新。")
    body = client.get(f"/publicity/objections/{objection.code.lower()}/").content.decode()
    assert "经核实，该单位公开栏每月更新。" in body and "异议不成立" in body
    assert "secret@example.cn" not in body


def test_honeypot_stores_nothing(client, publicity):
    response = client.post("/publicity/", _objection(publicity, **{f"p{publicity.pk}-website": "http://spam"}))
    assert (response.status_code, response["Location"], Objection.objects.count()) == (302, "/publicity/objections/thanks/", 0)
    assert "感谢您的监督。" in client.get(response["Location"]).content.decode()


def test_rate_limit_refuses_with_a_chinese_message(client, publicity, settings):
    settings.OBJECTION_RATELIMIT = "2/h"
    for _ in range(2):
        assert client.post("/publicity/", _objection(publicity)).status_code == 302
    response = client.post("/publicity/", _objection(publicity))
    assert response.status_code == 429
    assert "提交过于频繁，请稍后再试" in response.content.decode()
    assert Objection.objects.count() == 2


def test_objection_content_is_escaped(client, publicity):
    client.post("/publicity/", _objection(publicity, **{f"p{publicity.pk}-content": "<script>alert(1)</script> 这是异议内容"}))
    body = client.get(f"/publicity/objections/{Objection.objects.get().code}/").content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body


def test_unknown_code_is_404(client, publicity):
    response = client.get("/publicity/objections/NOSUCHCODE/")
    assert response.status_code == 404
    assert "未找到受理编号为“NOSUCHCODE”的异议。" in response.content.decode()


@pytest.mark.parametrize("code", ["a/b", "../x", "<b>x</b>", "  ", "中文编号"])
def test_lookup_of_a_malformed_code_says_not_found_instead_of_failing(client, publicity, code):
    response = client.get("/publicity/objections/", {"code": code})
    if code.strip():
        assert response.status_code == 404
        body = response.content.decode()
        assert "<h1>未找到</h1>" in body and "<b>x</b>" not in body
    else:
        assert response.status_code == 302  # nothing typed: back to the form


def test_lookup_of_a_good_code_goes_to_its_page(client, publicity):
    objection = services.objection_create(publicity_id=publicity.pk, content="该单位公开栏长期未更新，内容陈旧。")
    response = client.get("/publicity/objections/", {"code": f" {objection.code.lower()} "})
    assert (response.status_code, response["Location"]) == (302, f"/publicity/objections/{objection.code}/")


def test_no_publicity_says_so(client, db):
    assert "当前没有正在公示的名单。" in client.get("/publicity/").content.decode()


def test_staff_objection_page_shows_deadline_explanation_and_contact(client, publicity, municipal):
    objection = services.objection_create(publicity_id=publicity.pk, content="异议内容足够长，具体事实如下。", objector_contact="13800000000")
    client.force_login(municipal)
    body = client.get(f"/portal/evaluation/objections/{objection.pk}/").content.decode()
    assert "13800000000" in body and "个工作日，截止" in body


def test_staff_answers_objection_in_portal(client, publicity, municipal):
    objection = services.objection_create(publicity_id=publicity.pk, content="异议内容足够长，具体事实如下。", entry_id=publicity.entries.get().pk)
    client.force_login(municipal)
    client.post(f"/portal/evaluation/objections/{objection.pk}/", {"outcome": "upheld", "reply": "异议成立。", "investigation": "核实"})
    objection.refresh_from_db()
    assert objection.state == "upheld"


def test_award_page_shows_refusal_while_publicity_runs(client, publicity, municipal, eval_round):
    client.force_login(municipal)
    response = client.post(f"/portal/evaluation/rounds/{eval_round.pk}/award/", {"awarded_on": timezone.localdate().isoformat()})
    assert response.status_code == 400
    assert "公示期未结束" in response.content.decode()


def test_ranking_and_calibration_pages_draw_svg(client, municipal, candidate, panel):
    submit_card(panel[0], candidate, "0.8")
    submit_card(panel[1], candidate, "0.9")
    client.force_login(municipal)
    assert "<svg" in client.get(f"/portal/evaluation/rounds/{candidate.round_id}/ranking/").content.decode()
    assert "<svg" in client.get(f"/portal/evaluation/rounds/{candidate.round_id}/calibration/").content.decode()


def test_exports_are_excel(client, municipal, candidate, panel):
    submit_card(panel[0], candidate)
    client.force_login(municipal)
    for kind in ("ranking", "shortlist", "roster"):
        response = client.get(f"/portal/evaluation/rounds/{candidate.round_id}/export/{kind}.xlsx")
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_home_and_site_pages_show_publicity_and_case_story(client, publicity, municipal):
    from tests import factories as f

    designation = f.DesignationFactory()
    story = services.story_save(actor=municipal, designation_id=designation.pk, title="公开栏“晒”出明白账", body="每月更新，群众点赞。")
    services.story_set_status(actor=municipal, story_id=story.pk, status="published")
    home = client.get("/").content.decode()
    assert "正在公示" in home and "公开栏“晒”出明白账" in home
    assert "公开栏“晒”出明白账" in client.get(f"/sites/{designation.pk}/").content.decode()


def test_dashboards_show_evaluator_tasks_and_staff_objections(client, evaluator, assignment, municipal):
    client.force_login(evaluator)
    assert "我的考评任务" in client.get("/portal/").content.decode()
    client.force_login(municipal)
    assert "公示异议" in client.get("/portal/").content.decode()


def test_r5_materials_open_only_after_declaration_and_only_to_the_assigned_evaluator(client, evaluator, other_evaluator, assignment, candidate):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sites.models import ApplicationMaterial

    material = ApplicationMaterial.objects.create(application=candidate.application, title="创建报告", uploaded_by=evaluator,
                                                  file=SimpleUploadedFile("report.pdf", b"%PDF-1.4 demo"))
    url = f"/portal/evaluation/assignments/{assignment.pk}/materials/{material.pk}/"
    client.force_login(evaluator)
    assert client.get(url).status_code == 404  # not declared yet
    services.assignment_declare(actor=evaluator, assignment_id=assignment.pk, conflict=False)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(other_evaluator)
    assert client.get(url).status_code == 404


def test_objection_list_query_count_is_constant(client, publicity, municipal, django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            services.objection_create(publicity_id=publicity.pk, content="异议内容足够长，具体事实如下。", entry_id=publicity.entries.get().pk)

    client.force_login(municipal)
    add(1)
    client.get("/portal/evaluation/objections/")
    with django_assert_max_num_queries(15) as small:
        client.get("/portal/evaluation/objections/")
    add(4)
    with django_assert_max_num_queries(15) as large:
        client.get("/portal/evaluation/objections/")
    assert len(small.captured_queries) == len(large.captured_queries)


def test_publishing_a_story_refreshes_the_cached_home_page(client, municipal, settings):
    from tests import factories as f

    settings.PUBLIC_CACHE_SECONDS = 60
    designation = f.DesignationFactory()
    client.get("/")  # cached for anonymous readers
    story = services.story_save(actor=municipal, designation_id=designation.pk, title="晒出明白账", body="每月更新。")
    services.story_set_status(actor=municipal, story_id=story.pk, status="published")
    assert "晒出明白账" in client.get("/").content.decode()
