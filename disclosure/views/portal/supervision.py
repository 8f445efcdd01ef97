"""Portal pages of follow-up: public feedback and its answer (R18), findings and rectification notices
(R20). Reads start from the selectors (404 outside scope), writes go through the services."""
from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from qujing_disclosure.core import clock
from qujing_disclosure.core.audit import history_for

from ... import selectors, services
from ...enums import FEEDBACK_OPEN_STATES, FeedbackState, FindingState, RectificationState
from ...forms import AnswerForm, CheckForm, DismissForm, FindingForm, NoticeForm, ReportForm
from .common import call, form_page, organization_filter, page, render_page, timeline


# --- feedback (R18) -------------------------------------------------------------------------------
@page()
def feedback_list(request: HttpRequest) -> HttpResponse:
    qs = organization_filter(request, selectors.feedback_list_for(request.user))
    state = request.GET.get("state", "")
    if state in FeedbackState.values:
        qs = qs.filter(state=state)
    page_ = Paginator(qs.order_by("-received_on", "-id"), 50).get_page(request.GET.get("page"))
    page_.object_list = selectors.feedback_with_deadlines(page_.object_list)
    return render_page(request, "disclosure/portal/feedback_list.html", {
        "page": page_, "states": FeedbackState.choices, "state": state,
    })


@page()
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = selectors.feedback_get_for(request.user, pk)
    may_answer = request.user.has_perm("disclosure.answer_feedback", feedback) and feedback.state in FEEDBACK_OPEN_STATES
    form = AnswerForm(request.POST or None) if may_answer else None
    if request.method == "POST":
        if not may_answer:
            raise Http404()
        if "handling" in request.POST:
            services.feedback_mark_handling(actor=request.user, feedback_id=feedback.pk)
            return redirect("disclosure_portal:feedback_detail", pk=feedback.pk)
        if form.is_valid():
            _f, ok = call(form, services.feedback_answer, actor=request.user, feedback_id=feedback.pk,
                          answer=form.cleaned_data["answer"])
            if ok:
                messages.success(request, _("已答复。群众可凭回执码查看。"))
                return redirect("disclosure_portal:feedback_detail", pk=feedback.pk)
    return render_page(request, "disclosure/portal/feedback_detail.html", {"feedback": feedback, "form": form})


# --- findings and rectifications (R20) --------------------------------------------------------------
@page("disclosure.view_findings")
def finding_list(request: HttpRequest) -> HttpResponse:
    qs = organization_filter(request, selectors.finding_list_for(request.user))
    state = request.GET.get("state", "")
    if state in FindingState.values:
        qs = qs.filter(state=state)
    page_ = Paginator(qs.order_by("-period", "-id"), 50).get_page(request.GET.get("page"))
    return render_page(request, "disclosure/portal/finding_list.html", {
        "page": page_, "states": FindingState.choices, "state": state,
        "may_record": request.user.has_perm("disclosure.add_finding"),
    })


@page("disclosure.add_finding")
def finding_create(request: HttpRequest) -> HttpResponse:
    organizations = selectors.organization_list_for(request.user).filter(is_active=True)
    form = FindingForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        finding, ok = call(form, services.finding_record, actor=request.user, organization_id=d["organization"].pk,
                           kind=d["kind"], period=d["period"], description=d["description"])
        if ok:
            return redirect("disclosure_portal:finding_detail", pk=finding.pk)
    return form_page(request, form, title=_("记录检查发现的问题"), back=reverse("disclosure_portal:finding_list"))


@page("disclosure.view_findings")
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    finding = selectors.finding_get_for(request.user, pk)
    may_act = finding.state == FindingState.OPEN and request.user.has_perm("disclosure.issue_rectification", finding)
    notice_form = NoticeForm(request.POST if "issue" in request.POST else None) if may_act else None
    dismiss_form = DismissForm(request.POST if "dismiss" in request.POST else None) if may_act else None
    if request.method == "POST":
        if not may_act:
            raise Http404()
        if "issue" in request.POST and notice_form.is_valid():
            notice, ok = call(notice_form, services.rectification_issue, actor=request.user, finding_id=finding.pk,
                              **notice_form.cleaned_data)
            if ok:
                messages.success(request, _("已下发整改通知。"))
                return redirect("disclosure_portal:rectification_detail", pk=notice.pk)
        if "dismiss" in request.POST and dismiss_form.is_valid():
            _f, ok = call(dismiss_form, services.finding_dismiss, actor=request.user, finding_id=finding.pk,
                          reason=dismiss_form.cleaned_data["reason"])
            if ok:
                return redirect("disclosure_portal:finding_list")
    return render_page(request, "disclosure/portal/finding_detail.html", {
        "finding": finding, "notice_form": notice_form, "dismiss_form": dismiss_form,
    })


@page()
def rectification_list(request: HttpRequest) -> HttpResponse:
    qs = organization_filter(request, selectors.rectification_list_for(request.user))
    state = request.GET.get("state", "")
    if state in RectificationState.values:
        qs = qs.filter(state=state)
    today = clock.today()
    page_ = Paginator(qs.order_by("deadline", "id"), 50).get_page(request.GET.get("page"))
    for notice in page_.object_list:
        notice.overdue = selectors.rectification_is_overdue(notice, today)
    return render_page(request, "disclosure/portal/rectification_list.html", {
        "page": page_, "states": RectificationState.choices, "state": state,
    })


@page()
def rectification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.rectification_get_for(request.user, pk)
    user = request.user
    may_report = notice.state in (RectificationState.ISSUED, RectificationState.RETURNED) and \
        user.has_perm("disclosure.report_rectification", notice)
    may_check = notice.state == RectificationState.REPORTED and user.has_perm("disclosure.check_rectification", notice)
    report_form = ReportForm(request.POST or None) if may_report else None
    check_form = CheckForm(request.POST or None) if may_check else None
    if request.method == "POST":
        if may_report and report_form.is_valid():
            _r, ok = call(report_form, services.rectification_report, actor=user, rectification_id=notice.pk,
                          report=report_form.cleaned_data["report"])
            if ok:
                messages.success(request, _("已报告整改情况，等待复查。"))
                return redirect("disclosure_portal:rectification_detail", pk=notice.pk)
        elif may_check and check_form.is_valid():
            _r, ok = call(check_form, services.rectification_check, actor=user, rectification_id=notice.pk,
                          accept=check_form.cleaned_data["decision"] == "close", note=check_form.cleaned_data["note"])
            if ok:
                messages.success(request, _("复查已记录。"))
                return redirect("disclosure_portal:rectification_detail", pk=notice.pk)
        elif not (may_report or may_check):
            raise Http404()
    notice.overdue = selectors.rectification_is_overdue(notice)
    history = timeline(history_for(notice), states=(RectificationState,))
    return render_page(request, "disclosure/portal/rectification_detail.html", {
        "notice": notice, "report_form": report_form, "check_form": check_form,
        "history": history, "exchange": selectors.rectification_exchange(notice, history),
    })
