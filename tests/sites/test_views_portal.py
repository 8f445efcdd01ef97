"""The designation portal (/portal/) as county offices and units use it.

Rules covered: R2 (ratio × quota), R3 (apply, recommend or reject with a reason),
the application window and round status, upload checks, and mass assignment.
"""
import datetime
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qujing_disclosure.core.models import AuditEntry
from sites import services
from sites.enums import ApplicationState, RoundStatus
from sites.models import Application, ApplicationMaterial
from tests import factories as f
from tests.sites.conftest import attach_material

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BACKEND = "django.contrib.auth.backends.ModelBackend"


def login(client, user):
    client.force_login(user, backend=BACKEND)
    return client


def text_of(response):
    """The page as a person reads it: tags dropped, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def pdf(name="材料.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def draft_of(round_, organization, actor):
    return services.application_create(
        actor=actor, round_id=round_.pk, organization_id=organization.pk,
        summary="创建工作情况", contact_name="李四", contact_phone="13800000000",
    )


def submitted_of(round_, organization, actor):
    application = draft_of(round_, organization, actor)
    attach_material(application, actor)
    return services.application_submit(actor=actor, application_id=application.pk)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


# --- the whole flow ----------------------------------------------------------------------
def test_county_office_creates_uploads_submits_and_screens(client, open_round, county_user, county, org):
    login(client, county_user)

    page = client.get(reverse("portal:dashboard"))
    assert page.status_code == 200
    assert "推荐 0/4" in text_of(page)

    form_page = client.get(reverse("portal:application_create") + f"?round={open_round.pk}")
    assert form_page.status_code == 200
    assert org.name in text_of(form_page)

    response = client.post(reverse("portal:application_create"), {
        "round": open_round.pk, "organization": org.pk, "summary": "我们坚持每月公开。",
        "contact_name": "王五", "contact_phone": "0874-3120000",
    }, follow=True)
    application = Application.objects.get(organization=org)
    assert response.redirect_chain == [(reverse("portal:application_materials", args=[application.pk]), 302)]
    assert messages_of(response) == ["申报草稿已创建。请上传申报材料，然后提交。"]
    assert application.state == ApplicationState.DRAFT
    assert application.jurisdiction == county
    assert application.created_by == county_user

    response = client.post(reverse("portal:application_materials", args=[application.pk]), {
        "m-TOTAL_FORMS": "3", "m-INITIAL_FORMS": "0",
        "m-0-title": "创建工作总结", "m-0-file": pdf("总结.pdf"),
        "m-1-title": "", "m-1-file": SimpleUploadedFile("照片.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20),
    }, follow=True)
    assert messages_of(response) == ["已上传 2 个文件。"]
    assert sorted(application.materials.values_list("title", flat=True)) == ["创建工作总结", "照片.png"]

    response = client.post(reverse("portal:application_submit", args=[application.pk]), follow=True)
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert messages_of(response) == ["申报已提交，等待辖区审核推荐。"]

    response = client.post(reverse("portal:application_recommend", args=[application.pk]),
                           {"recommend-reason": "工作扎实"}, follow=True)
    application.refresh_from_db()
    assert application.state == ApplicationState.RECOMMENDED
    assert application.decision_reason == "工作扎实"
    assert messages_of(response) == ["已推荐。"]
    assert "推荐 1/4" in text_of(response)

    page = client.get(reverse("portal:application_detail", args=[application.pk]))
    text = text_of(page)
    for expected in ("创建草稿", "上传材料", "提交申报", "草稿 → 已提交", "审核推荐", "已提交 → 已推荐", "理由：工作扎实", "创建工作总结"):
        assert expected in text


def test_recommend_past_ratio_is_refused_in_chinese_and_nothing_changes(client, open_round, county_user, county):
    # R2: quota 2 at ratio 2 → at most 4 recommendations.
    applications = [submitted_of(open_round, f.OrganizationFactory(jurisdiction=county), county_user) for _ in range(5)]
    login(client, county_user)
    for application in applications[:4]:
        client.post(reverse("portal:application_recommend", args=[application.pk]))
    audit_rows = AuditEntry.objects.count()

    response = client.post(reverse("portal:application_recommend", args=[applications[4].pk]), {"recommend-reason": "很好"})

    assert response.status_code == 200
    text = text_of(response)
    assert "按2:1比例，本轮麒麟区名额2个，最多推荐4个，已推荐4个，不能再推荐。" in text
    assert "推荐 4/4" in text
    applications[4].refresh_from_db()
    assert applications[4].state == ApplicationState.SUBMITTED
    assert applications[4].decision_reason == ""
    assert Application.objects.filter(state=ApplicationState.RECOMMENDED).count() == 4
    assert AuditEntry.objects.count() == audit_rows


def test_reject_without_reason_is_refused(client, open_round, county_user, org):
    application = submitted_of(open_round, org, county_user)
    login(client, county_user)

    response = client.post(reverse("portal:application_reject", args=[application.pk]), {"reject-reason": "  "})

    assert response.status_code == 200
    assert response.context["reject_form"].errors == {"reason": ["不推荐时必须填写理由。"]}
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_reject_with_reason_records_it(client, open_round, county_user, org):
    application = submitted_of(open_round, org, county_user)
    login(client, county_user)

    response = client.post(reverse("portal:application_reject", args=[application.pk]),
                           {"reject-reason": "公开栏长期未更新"}, follow=True)

    application.refresh_from_db()
    assert application.state == ApplicationState.REJECTED
    assert application.decision_reason == "公开栏长期未更新"
    assert messages_of(response) == ["已审核为不推荐。"]
    assert "理由：公开栏长期未更新" in text_of(response)


def test_withdraw_with_optional_reason(client, open_round, org_user, org):
    application = submitted_of(open_round, org, org_user)
    login(client, org_user)

    client.post(reverse("portal:application_withdraw", args=[application.pk]), {"withdraw-reason": "材料需重新准备"})

    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN
    assert AuditEntry.objects.filter(action="sites.application.withdraw").get().reason == "材料需重新准备"


def test_organization_user_applies_only_for_itself(client, open_round, org_user, org, other_org, county):
    neighbour_in_same_county = f.OrganizationFactory(jurisdiction=county, name="麒麟区第二党支部")
    login(client, org_user)

    form_page = client.get(reverse("portal:application_create"))
    assert list(form_page.context["form"].fields["organization"].queryset) == [org]

    response = client.post(reverse("portal:application_create"), {
        "round": open_round.pk, "organization": neighbour_in_same_county.pk, "summary": "情况",
        "contact_name": "赵六", "contact_phone": "13900000000",
    })

    assert response.status_code == 302
    assert list(Application.objects.values_list("organization__name", flat=True)) == ["麒麟区第一党支部"]


def test_county_user_cannot_pick_a_neighbouring_countys_unit(client, open_round, county_user, other_org):
    login(client, county_user)

    response = client.post(reverse("portal:application_create"), {
        "round": open_round.pk, "organization": other_org.pk, "summary": "情况",
        "contact_name": "赵六", "contact_phone": "13900000000",
    })

    assert response.status_code == 200
    assert response.context["form"].errors["organization"] == ["请从本辖区的党组织中选择。"]
    assert Application.objects.count() == 0


def test_second_live_application_of_a_unit_shows_the_service_message_on_the_field(client, open_round, county_user, org):
    draft_of(open_round, org, county_user)
    login(client, county_user)

    response = client.post(reverse("portal:application_create"), {
        "round": open_round.pk, "organization": org.pk, "summary": "情况",
        "contact_name": "赵六", "contact_phone": "13900000000",
    })

    assert response.status_code == 200
    assert response.context["form"].errors == {"organization": ["麒麟区第一党支部在本轮已有申报，不能重复申报。"]}


# --- uploads -------------------------------------------------------------------------
def _upload(client, application, *files):
    data = {"m-TOTAL_FORMS": "3", "m-INITIAL_FORMS": "0"}
    for index, uploaded in enumerate(files):
        data[f"m-{index}-title"] = f"材料{index + 1}"
        data[f"m-{index}-file"] = uploaded
    return client.post(reverse("portal:application_materials", args=[application.pk]), data)


def _file_errors(response):
    return [form.errors.get("file") for form in response.context["formset"].forms]


def test_upload_page_states_allowed_types_and_limit(client, open_round, county_user, org, settings):
    settings.UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    application = draft_of(open_round, org, county_user)
    login(client, county_user)

    text = text_of(client.get(reverse("portal:application_materials", args=[application.pk])))

    assert "每个文件不超过 20 MB" in text
    assert "可上传 PDF、图片（JPG、PNG、GIF、WEBP）和 Office/WPS 文件" in text


def test_upload_refuses_an_executable(client, open_round, county_user, org):
    application = draft_of(open_round, org, county_user)
    login(client, county_user)

    response = _upload(client, application, SimpleUploadedFile("setup.exe", b"MZ\x90\x00" * 10))

    assert response.status_code == 200
    assert _file_errors(response)[0] == ["文件“setup.exe”类型不支持：只接受 PDF、图片（JPG/PNG/GIF/WEBP）和 Office/WPS 文件。"]
    assert ApplicationMaterial.objects.count() == 0


def test_upload_refuses_a_pdf_that_is_not_a_pdf(client, open_round, county_user, org):
    application = draft_of(open_round, org, county_user)
    login(client, county_user)

    response = _upload(client, application, SimpleUploadedFile("报告.pdf", b"MZ this is really a program"))

    assert _file_errors(response)[0] == ["文件“报告.pdf”的内容与扩展名不符，请上传真实的 PDF 文件。"]
    assert ApplicationMaterial.objects.count() == 0


def test_upload_refuses_a_file_over_the_limit_and_saves_none_of_the_batch(client, open_round, county_user, org, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    application = draft_of(open_round, org, county_user)
    login(client, county_user)

    response = _upload(client, application, pdf("小.pdf"), pdf("大.pdf", PDF_BYTES + b"0" * (1024 * 1024 + 512 * 1024)))

    assert _file_errors(response)[:2] == [None, ["文件“大.pdf”大小为 1.5 MB，超过上限 1 MB。"]]
    assert "每个文件不超过 1 MB" in text_of(response)
    assert ApplicationMaterial.objects.count() == 0


def test_upload_batch_is_all_or_nothing_when_the_service_refuses_a_later_file(client, monkeypatch, open_round, county_user, org):
    from django.core.files.storage import default_storage

    from qujing_disclosure.core.errors import DomainError

    application = draft_of(open_round, org, county_user)
    real = services.application_add_material
    calls, written = [], []

    def refuse_second(**kwargs):
        calls.append(kwargs["title"])
        if len(calls) == 2:
            raise DomainError("第二个文件被拒绝。", field="file")
        material = real(**kwargs)
        written.append(material.file.name)
        return material

    monkeypatch.setattr(services, "application_add_material", refuse_second)
    login(client, county_user)

    response = _upload(client, application, pdf("一.pdf"), pdf("二.pdf"))

    assert calls == ["材料1", "材料2"]
    assert _file_errors(response)[:2] == [None, ["第二个文件被拒绝。"]]
    assert ApplicationMaterial.objects.count() == 0
    assert len(written) == 1
    assert default_storage.exists(written[0]) is False


def test_upload_needs_at_least_one_file(client, open_round, county_user, org):
    application = draft_of(open_round, org, county_user)
    login(client, county_user)

    response = _upload(client, application)

    assert response.context["formset"].non_form_errors() == ["请至少选择一个文件。"]


def test_materials_of_a_submitted_application_are_frozen(client, open_round, county_user, org):
    application = submitted_of(open_round, org, county_user)
    login(client, county_user)

    response = _upload(client, application, pdf())

    assert response.status_code == 302
    assert list(ApplicationMaterial.objects.values_list("title", flat=True)) == ["申报材料"]  # the one it was submitted with
    follow = client.get(response.url)
    assert messages_of(follow) == ["只有草稿状态的申报可以上传材料。"]


# --- mass assignment ------------------------------------------------------------------
def test_posting_state_jurisdiction_or_organization_on_edit_changes_nothing(
    client, open_round, county_user, county, org, other_org, other_county
):
    application = draft_of(open_round, org, county_user)
    login(client, county_user)

    response = client.post(reverse("portal:application_edit", args=[application.pk]), {
        "summary": "新的情况说明", "contact_name": "王五", "contact_phone": "13700000000",
        "state": ApplicationState.RECOMMENDED, "jurisdiction": other_county.pk, "organization": other_org.pk,
        "round": f.RoundFactory().pk, "decision_reason": "自己写的", "created_by": 999,
    })

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.summary, application.contact_name, application.contact_phone) == ("新的情况说明", "王五", "13700000000")
    assert application.state == ApplicationState.DRAFT
    assert application.jurisdiction == county
    assert application.organization == org
    assert application.round == open_round
    assert application.decision_reason == ""
    assert application.created_by == county_user


def test_posting_state_on_create_changes_nothing(client, open_round, county_user, county, org, other_county):
    login(client, county_user)

    client.post(reverse("portal:application_create"), {
        "round": open_round.pk, "organization": org.pk, "summary": "情况", "contact_name": "王五",
        "contact_phone": "13700000000", "state": ApplicationState.RECOMMENDED, "jurisdiction": other_county.pk,
    })

    application = Application.objects.get()
    assert (application.state, application.jurisdiction) == (ApplicationState.DRAFT, county)


def test_edit_of_a_submitted_application_is_refused(client, open_round, county_user, org):
    application = submitted_of(open_round, org, county_user)
    login(client, county_user)

    response = client.post(reverse("portal:application_edit", args=[application.pk]), {
        "summary": "改", "contact_name": "王五", "contact_phone": "1",
    }, follow=True)

    application.refresh_from_db()
    assert application.summary == "创建工作情况"
    assert messages_of(response) == ["只有草稿状态的申报可以修改。"]


# --- windows and round status -------------------------------------------------------
def test_submit_after_the_application_window_is_refused_with_the_date(client, county_user, org, county, city):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))), tick=False):
        round_ = f.RoundFactory(
            organizer=city, applications_open_on=datetime.date(2026, 3, 1),
            applications_close_on=datetime.date(2026, 3, 31), screening_close_on=datetime.date(2026, 4, 15),
        )
        f.QuotaFactory(round=round_, jurisdiction=county, slots=2)
        application = draft_of(round_, org, county_user)
    # 1 April 00:30 in Beijing is still 31 March in UTC: the window is judged in China time.
    with time_machine.travel(datetime.datetime(2026, 3, 31, 16, 30, tzinfo=datetime.UTC), tick=False):
        login(client, county_user)
        response = client.post(reverse("portal:application_submit", args=[application.pk]), follow=True)

    assert messages_of(response) == ["申报已于 2026-03-31 截止（北京时间）。"]
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT


def test_submit_on_the_last_day_in_china_time_is_accepted(client, county_user, org, county, city):
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))), tick=False):
        round_ = f.RoundFactory(
            organizer=city, applications_open_on=datetime.date(2026, 12, 1),
            applications_close_on=datetime.date(2026, 12, 31), screening_close_on=datetime.date(2027, 1, 15),
        )
        f.QuotaFactory(round=round_, jurisdiction=county, slots=2)
        application = draft_of(round_, org, county_user)
        attach_material(application, county_user)
    # 31 Dec 23:50 in Beijing.
    with time_machine.travel(datetime.datetime(2026, 12, 31, 15, 50, tzinfo=datetime.UTC), tick=False):
        login(client, county_user)
        client.post(reverse("portal:application_submit", args=[application.pk]))

    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_submit_in_a_closed_round_is_refused(client, open_round, county_user, org, municipal):
    application = draft_of(open_round, org, county_user)
    services.round_set_status(actor=municipal, round_id=open_round.pk, status=RoundStatus.CLOSED)
    login(client, county_user)

    response = client.post(reverse("portal:application_submit", args=[application.pk]), follow=True)

    assert messages_of(response) == ["轮次“2026年县级示范点创建”当前状态为“申报结束”，不接受申报。"]
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT


def test_recommend_after_screening_deadline_is_refused(client, open_round, county_user, org):
    application = submitted_of(open_round, org, county_user)
    deadline = open_round.screening_close_on

    with time_machine.travel(datetime.datetime.combine(deadline + datetime.timedelta(days=1), datetime.time(0, 5),
                                                       tzinfo=datetime.timezone(datetime.timedelta(hours=8)))):
        login(client, county_user)
        response = client.post(reverse("portal:application_recommend", args=[application.pk]))

    assert response.context["recommend_form"].non_field_errors() == [f"审核推荐已于 {deadline.isoformat()} 截止（北京时间）。"]
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_closed_round_is_not_offered_for_new_applications(client, open_round, county_user, municipal):
    services.round_set_status(actor=municipal, round_id=open_round.pk, status=RoundStatus.CLOSED)
    login(client, county_user)

    response = client.get(reverse("portal:application_create"))

    assert list(response.context["form"].fields["round"].queryset) == []
    assert "目前没有本辖区可以申报的轮次。" in text_of(response)


def test_transitions_are_post_only(client, open_round, county_user, org):
    application = submitted_of(open_round, org, county_user)
    login(client, county_user)
    for name in ("application_submit", "application_withdraw", "application_recommend", "application_reject"):
        assert client.get(reverse(f"portal:{name}", args=[application.pk])).status_code == 405
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_transitions_need_the_csrf_token(open_round, county_user, org):
    from django.test import Client

    application = submitted_of(open_round, org, county_user)
    client = login(Client(enforce_csrf_checks=True), county_user)

    response = client.post(reverse("portal:application_recommend", args=[application.pk]))

    assert response.status_code == 403
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


# --- dashboards --------------------------------------------------------------------
def test_county_dashboard_shows_quota_progress_and_states(client, open_round, county_user, county, other_county):
    for _ in range(3):
        submitted_of(open_round, f.OrganizationFactory(jurisdiction=county), county_user)
    recommended = submitted_of(open_round, f.OrganizationFactory(jurisdiction=county), county_user)
    services.application_recommend(actor=county_user, application_id=recommended.pk)
    draft_of(open_round, f.OrganizationFactory(jurisdiction=county), county_user)
    # The neighbouring county's work does not count here.
    other = submitted_of(open_round, f.OrganizationFactory(jurisdiction=other_county), f.county_user(other_county))
    services.application_recommend(actor=f.county_user(other_county), application_id=other.pk)
    login(client, county_user)

    response = client.get(reverse("portal:dashboard"))

    text = text_of(response)
    assert "2026年县级示范点创建" in text
    assert "推荐 1/4" in text
    assert "名额 2 个" in text
    assert "已提交申报 4 个" in text
    counts = {row["label"]: row["count"] for row in response.context["state_counts"]}
    assert counts == {"草稿": 1, "已提交": 3, "已推荐": 1, "未推荐": 0, "已撤回": 0}
    assert 'aria-valuenow="1"' in response.content.decode()


def test_organization_dashboard_lists_own_applications_and_rounds_to_apply(client, open_round, org_user, org, county, city):
    other_round = f.RoundFactory(organizer=city, name="2026年市级示范点创建")
    f.QuotaFactory(round=other_round, jurisdiction=county, slots=1)
    no_quota_round = f.RoundFactory(organizer=city, name="没有名额的轮次")
    draft_of(open_round, org, org_user)
    login(client, org_user)

    response = client.get(reverse("portal:dashboard"))

    assert [r.name for r in response.context["apply_rounds"]] == ["2026年市级示范点创建"]
    assert [a.round.name for a in response.context["applications"]] == ["2026年县级示范点创建"]
    assert no_quota_round.name not in text_of(response)


def test_staff_dashboard_summarises_every_round(client, open_round, municipal, county, county_user):
    submitted = submitted_of(open_round, f.OrganizationFactory(jurisdiction=county), county_user)
    services.application_recommend(actor=county_user, application_id=submitted.pk)
    login(client, municipal)

    response = client.get(reverse("portal:dashboard"))

    text = text_of(response)
    assert "2026年县级示范点创建" in text
    assert "推荐 1/8" in text  # 4 slots over two counties at 2:1


def test_evaluator_dashboard_has_a_short_message(client, evaluator):
    login(client, evaluator)

    response = client.get(reverse("portal:dashboard"))

    assert "您是考评组成员。" in text_of(response)


def test_leading_group_sees_round_summary_on_round_page(client, open_round, leading, county, county_user):
    submitted_of(open_round, f.OrganizationFactory(jurisdiction=county), county_user)
    login(client, leading)

    response = client.get(reverse("portal:round_detail", args=[open_round.pk]))

    rows = [{k: row[k] for k in ("jurisdiction", "slots", "applications", "recommended", "limit", "awarded")}
            for row in response.context["summary"]]
    assert rows == [
        {"jurisdiction": "麒麟区", "slots": 2, "applications": 1, "recommended": 0, "limit": 4, "awarded": 0},
        {"jurisdiction": "沾益区", "slots": 2, "applications": 0, "recommended": 0, "limit": 4, "awarded": 0},
    ]
    assert "推荐 0/4" in text_of(response)


def test_application_list_filters_by_round_and_state(client, open_round, county_user, county, city):
    older = f.RoundFactory(organizer=city, name="2025年县级示范点创建")
    f.QuotaFactory(round=older, jurisdiction=county, slots=1)
    a = submitted_of(open_round, f.OrganizationFactory(jurisdiction=county, name="甲支部"), county_user)
    draft_of(open_round, f.OrganizationFactory(jurisdiction=county, name="乙支部"), county_user)
    submitted_of(older, f.OrganizationFactory(jurisdiction=county, name="丙支部"), county_user)
    login(client, county_user)

    response = client.get(reverse("portal:application_list"), {"round": open_round.pk, "state": "submitted"})

    assert [app.pk for app in response.context["page"].object_list] == [a.pk]
    names = {app.organization.name for app in client.get(reverse("portal:application_list")).context["page"].object_list}
    assert names == {"甲支部", "乙支部", "丙支部"}


def test_dashboard_renders_other_apps_links_and_blocks(client, monkeypatch, county_user):
    from qujing_disclosure.core import portal as registry
    from sites.views.portal import QuotaUsage

    # Keep this app's own links (registered in SitesConfig.ready), drop other apps'.
    monkeypatch.setattr(registry, "_links", [link for link in registry._links if link.url_name.startswith("portal:")])
    monkeypatch.setattr(registry, "_blocks", [])
    registry.register_portal_link("公开目录", "public:site_list", visible=lambda user: True)
    registry.register_portal_link("隐藏的链接", "public:home", visible=lambda user: False)
    registry.register_portal_link("坏链接", "no_such:url", visible=lambda user: True)
    registry.register_portal_link("申报（重复）", "portal:application_list", visible=lambda user: True)
    registry.register_dashboard_block(lambda request: ("portal/_quota.html", {"usage": QuotaUsage(3, 6, 5)}))
    registry.register_dashboard_block(lambda request: None)
    login(client, county_user)

    response = client.get(reverse("portal:dashboard"))

    assert [link["label"] for link in response.context["portal_menu"]] == ["工作台", "创建轮次", "申报", "公开目录"]
    assert "推荐 5/6" in text_of(response)


# --- query counts -----------------------------------------------------------------
def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(n, *, county, county_user, city, org, org_user):
    """n more rounds, each with a recommended application, a draft, and one of `org`'s (with a file)."""
    for _ in range(n):
        round_ = f.RoundFactory(organizer=city)
        f.QuotaFactory(round=round_, jurisdiction=county, slots=2)
        application = submitted_of(round_, f.OrganizationFactory(jurisdiction=county), county_user)
        services.application_recommend(actor=county_user, application_id=application.pk)
        draft_of(round_, f.OrganizationFactory(jurisdiction=county), county_user)
        own = draft_of(round_, org, org_user)
        services.application_add_material(actor=org_user, application_id=own.pk, title="总结", uploaded_file=pdf())


PAGES_BY_ROLE = [
    (url_name, role)
    for url_name in ("portal:dashboard", "portal:round_list", "portal:application_list")
    for role in ("county_user", "org_user", "admin", "municipal", "leading", "evaluator")
    # Evaluators have no application list (404, see test_portal_access).
    if not (url_name == "portal:application_list" and role == "evaluator")
]


@pytest.mark.parametrize(("url_name", "role"), PAGES_BY_ROLE)
def test_page_query_count_does_not_grow(request, client, url_name, role, county, county_user, city, org, org_user):
    login(client, request.getfixturevalue(role))
    grow = {"county": county, "county_user": county_user, "city": city, "org": org, "org_user": org_user}
    _grow(1, **grow)
    small = _queries(client, reverse(url_name))
    _grow(3, **grow)
    large = _queries(client, reverse(url_name))
    assert large == small


# --- the same quota in the portal and the API -------------------------------------------------
@pytest.mark.parametrize("bound_to_jurisdiction", [True, False])
def test_an_organisation_user_sees_its_countys_quota_in_the_portal_and_the_api(
    client, open_round, county, county_user, org, bound_to_jurisdiction
):
    from rest_framework.test import APIClient

    unit = f.organization_user(org, username="unit_user")
    if not bound_to_jurisdiction:  # a unit account needs only its organisation
        unit.jurisdiction = None
        unit.save(update_fields=["jurisdiction"])
    services.application_recommend(
        actor=county_user, application_id=submitted_of(open_round, f.OrganizationFactory(jurisdiction=county), county_user).pk
    )

    page = text_of(login(client, unit).get(reverse("portal:round_detail", args=[open_round.pk])))
    api = APIClient()
    api.force_login(unit)
    quotas = api.get(f"/api/v1/rounds/{open_round.pk}/").json()["quotas"]

    assert "麒麟区名额使用" in page and "推荐 1/4" in page
    assert quotas == [{"jurisdiction": county.pk, "jurisdiction_name": "麒麟区", "slots": 2, "limit": 4, "recommended": 1}]


# --- inactive units ----------------------------------------------------------------------
def test_an_inactive_unit_is_not_offered_and_cannot_be_posted(client, open_round, county_user, org):
    org.is_active = False
    org.save(update_fields=["is_active"])
    login(client, county_user)

    page = client.get(reverse("portal:application_create") + f"?round={open_round.pk}")
    response = client.post(reverse("portal:application_create"), {
        "round": open_round.pk, "organization": org.pk, "summary": "情况",
        "contact_name": "王五", "contact_phone": "0874-3120000",
    })

    assert org.name not in text_of(page)
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not Application.objects.filter(organization=org).exists()


def test_an_inactive_units_own_account_is_refused_on_the_organisation_field(client, open_round, org, org_user):
    org.is_active = False
    org.save(update_fields=["is_active"])
    login(client, org_user)

    response = client.post(reverse("portal:application_create"), {
        "round": open_round.pk, "summary": "情况", "contact_name": "王五", "contact_phone": "0874-3120000",
    })

    assert response.status_code == 200
    assert response.context["form"].errors["organization"] == [f"{org.name}已停用，不能申报。"]
    assert not Application.objects.filter(organization=org).exists()


# --- submitting needs materials ---------------------------------------------------------------
def test_submit_button_explains_that_materials_come_first(client, open_round, county_user, org):
    application = draft_of(open_round, org, county_user)
    login(client, county_user)

    page = client.get(reverse("portal:application_detail", args=[application.pk]))
    html = page.content.decode()
    assert "请先上传申报材料再提交：提交前至少需要一份材料（PDF、图片或 Office 文件）。" in text_of(page)
    assert 'disabled aria-describedby="submit-hint"' in html

    response = client.post(reverse("portal:application_submit", args=[application.pk]), follow=True)
    assert messages_of(response) == ["请先上传申报材料再提交。"]
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT

    attach_material(application, county_user)
    page = client.get(reverse("portal:application_detail", args=[application.pk]))
    assert "请先上传申报材料再提交" not in text_of(page)
    assert 'aria-describedby="submit-hint"' not in page.content.decode()
