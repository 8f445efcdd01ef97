"""The disclosure portal (/portal/disclosure/): organisations keep their catalogue and items,
supervising offices review, inspect and follow up. Views are thin: reads start from the scoped
selectors, writes go through disclosure.services. Anything out of scope answers 404 (never 403)."""
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from qujing_disclosure.core.access import (
    is_county,
    is_municipal,
    is_organization_user,
    sees_everything,
)
from qujing_disclosure.core.audit import history_for
from qujing_disclosure.core.errors import DomainError, NotPermitted
from qujing_disclosure.core.portal import portal_menu

from .. import charts, dates, selectors, services
from ..enums import (
    EDITABLE_STATES,
    FEEDBACK_OPEN_STATES,
    RECTIFICATION_OPEN_STATES,
    FeedbackState,
    FindingState,
    InspectionResult,
    ItemState,
    RectificationState,
)
from ..forms import (
    AnswerForm,
    AttachmentForm,
    CarrierForm,
    CheckForm,
    DismissForm,
    EndForm,
    EntryForm,
    EvidenceForm,
    ExemptionForm,
    ExemptionReviewForm,
    FindingForm,
    InitialReviewForm,
    InspectForm,
    ItemForm,
    NoticeForm,
    ReportForm,
    ReviewForm,
    add_domain_error,
)

ORG = (is_organization_user,)
OFFICE = (is_county, is_municipal)
REVIEWERS = (is_county, sees_everything)
READERS = (is_organization_user, is_county, sees_everything)


def _roles(*predicates):
    """The view exists only for these roles; anyone else signed in gets 404, as if it did not exist."""
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not any(pred(request.user) for pred in predicates):
                raise Http404()
            return view(request, *args, **kwargs)
        return wrapper
    return decorator


def _submenu(request):
    user = request.user
    entries = [(_("概览"), "disclosure_portal:home")]
    entries += [(_("公开目录"), "disclosure_portal:catalogue"), (_("公开事项"), "disclosure_portal:item_list"),
                (_("意见建议"), "disclosure_portal:feedback_list"), (_("暂缓公开备案"), "disclosure_portal:exemption_list"),
                (_("整改通知"), "disclosure_portal:rectification_list")]
    if is_county(user) or sees_everything(user):
        entries += [(_("检查发现"), "disclosure_portal:finding_list"), (_("合规看板"), "disclosure_portal:board")]
    path = request.path
    links = [(label, reverse(name)) for label, name in entries]
    best = max((url for _l, url in links if path.startswith(url)), key=len, default=None)
    return [{"label": label, "url": url, "active": url == best} for label, url in links]


def _render(request, template, context, status=200):
    return render(request, template, {**context, "portal_menu": portal_menu(request), "submenu": _submenu(request)},
                  status=status)


def _form_page(request, form, *, title, intro="", back=None, multipart=False, submit=None):
    return _render(request, "disclosure/portal/form.html", {
        "form": form, "title": title, "intro": intro, "back": back, "multipart": multipart,
        "submit": submit or _("保存"),
    })


def _call(form, func, **kwargs):
    """Run a service; a DomainError lands on the form (field or top). NotPermitted is a 404."""
    try:
        return func(**kwargs), True
    except NotPermitted:
        raise Http404() from None
    except DomainError as exc:
        add_domain_error(form, exc)
        return None, False


def _organization_filter(request, qs):
    org = request.GET.get("organization")
    if org and org.isdigit():
        qs = qs.filter(organization_id=int(org))
    return qs


# --- home -------------------------------------------------------------------------------
@_roles(*READERS)
def home(request):
    user = request.user
    today = timezone.localdate()
    items = selectors.item_list_for(user)
    counts = dict(items.order_by().values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    state_counts = [{"state": s, "label": s.label, "count": counts.get(s.value, 0)} for s in ItemState]
    open_feedback = selectors.feedback_with_deadlines(
        selectors.feedback_list_for(user).filter(state__in=FEEDBACK_OPEN_STATES).order_by("received_on")[:20],
        today=today,
    )
    context = {
        "state_counts": state_counts,
        "open_feedback": open_feedback,
        "awaiting_review": selectors.item_list_for(user).filter(state=ItemState.INITIAL_APPROVED)[:20]
        if not is_organization_user(user) else [],
        "reminders": selectors.reminder_list_for(user)[:10] if is_organization_user(user) else [],
        "rectifications": selectors.rectification_list_for(user).filter(state__in=RECTIFICATION_OPEN_STATES)[:20],
        "open_findings": selectors.finding_list_for(user).filter(state=FindingState.OPEN).count()
        if not is_organization_user(user) else 0,
        "today": today,
    }
    return _render(request, "disclosure/portal/home.html", context)


# --- catalogue and carriers (R12, R13) -------------------------------------------------
@_roles(*READERS)
def catalogue(request):
    user = request.user
    entries = _organization_filter(request, selectors.entry_list_for(user)).order_by("organization_id", "category__sort_order", "id")
    carriers = _organization_filter(request, selectors.carrier_list_for(user)).order_by("organization_id", "kind", "id")
    return _render(request, "disclosure/portal/catalogue.html", {
        "entries": entries[:300], "carriers": carriers[:300], "may_edit": is_organization_user(user),
    })


@_roles(*ORG)
def entry_create(request):
    org = request.user.organization
    form = EntryForm(request.POST or None, organization=org)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        _entry, ok = _call(form, services.entry_create, actor=request.user, organization_id=org.pk,
                           category_id=d["category"].pk, title=d["title"], description=d["description"],
                           field=d["field"], scope=d["scope"], forms=d["forms"],
                           carrier_ids=[c.pk for c in d["carriers"]], time_type=d["time_type"], cadence=d["cadence"])
        if ok:
            messages.success(request, _("已添加目录条目。"))
            return redirect("disclosure_portal:catalogue")
    return _form_page(request, form, title=_("添加公开目录条目"), back=reverse("disclosure_portal:catalogue"))


@_roles(*ORG)
def entry_edit(request, pk):
    entry = get_object_or_404(selectors.entry_list_for(request.user), pk=pk)
    initial = {"category": entry.category_id, "title": entry.title, "description": entry.description,
               "field": entry.field, "scope": entry.scope, "forms": entry.forms, "time_type": entry.time_type,
               "cadence": entry.cadence, "carriers": list(entry.carriers.all())}
    form = EntryForm(request.POST or None, initial=initial, organization=entry.organization)
    if request.method == "POST" and "deactivate" in request.POST:
        services.entry_update(actor=request.user, entry_id=entry.pk, is_active=not entry.is_active)
        messages.success(request, _("已更新目录条目状态。"))
        return redirect("disclosure_portal:catalogue")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        _e, ok = _call(form, services.entry_update, actor=request.user, entry_id=entry.pk,
                       category_id=d["category"].pk, title=d["title"], description=d["description"], field=d["field"],
                       scope=d["scope"], forms=d["forms"], time_type=d["time_type"], cadence=d["cadence"],
                       carrier_ids=[c.pk for c in d["carriers"]])
        if ok:
            messages.success(request, _("已保存目录条目。"))
            return redirect("disclosure_portal:catalogue")
    return _render(request, "disclosure/portal/form.html", {
        "form": form, "title": _("修改公开目录条目"), "back": reverse("disclosure_portal:catalogue"),
        "submit": _("保存"), "toggle": _("停用此条目") if entry.is_active else _("重新启用此条目"),
    })


@_roles(*ORG)
def carrier_create(request):
    form = CarrierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _c, ok = _call(form, services.carrier_create, actor=request.user,
                       organization_id=request.user.organization_id, **form.cleaned_data)
        if ok:
            messages.success(request, _("已登记公开载体。"))
            return redirect("disclosure_portal:catalogue")
    return _form_page(request, form, title=_("登记公开载体"), back=reverse("disclosure_portal:catalogue"))


@_roles(*ORG)
def carrier_edit(request, pk):
    carrier = get_object_or_404(selectors.carrier_list_for(request.user), pk=pk)
    form = CarrierForm(request.POST or None, initial={f: getattr(carrier, f) for f in services.CARRIER_FIELDS})
    if request.method == "POST" and "deactivate" in request.POST:
        services.carrier_update(actor=request.user, carrier_id=carrier.pk, is_active=not carrier.is_active)
        return redirect("disclosure_portal:catalogue")
    if request.method == "POST" and form.is_valid():
        _c, ok = _call(form, services.carrier_update, actor=request.user, carrier_id=carrier.pk, **form.cleaned_data)
        if ok:
            messages.success(request, _("已保存公开载体。"))
            return redirect("disclosure_portal:catalogue")
    return _render(request, "disclosure/portal/form.html", {
        "form": form, "title": _("修改公开载体"), "back": reverse("disclosure_portal:catalogue"), "submit": _("保存"),
        "toggle": _("停用此载体") if carrier.is_active else _("重新启用此载体"),
    })


# --- items (R14–R17) -----------------------------------------------------------------------
@_roles(*READERS)
def item_list(request):
    items = _organization_filter(request, selectors.item_list_for(request.user))
    state = request.GET.get("state", "")
    if state in ItemState.values:
        items = items.filter(state=state)
    q = request.GET.get("q", "").strip()
    if q:
        items = items.filter(title__icontains=q)
    page = Paginator(items.order_by("-publish_on", "-id"), 50).get_page(request.GET.get("page"))
    return _render(request, "disclosure/portal/item_list.html", {
        "page": page, "states": ItemState.choices, "state": state, "q": q,
        "may_create": is_organization_user(request.user),
    })


def _item_kwargs(d):
    return {"title": d["title"], "content": d["content"], "field": d["field"], "scope": d["scope"],
            "forms": d["forms"], "carrier_ids": [c.pk for c in d["carriers"]], "time_type": d["time_type"],
            "publish_on": d["publish_on"], "display_until": d["display_until"]}


@_roles(*ORG)
def item_create(request):
    org = request.user.organization
    initial = {"field": "party", "scope": "external", "time_type": "staged"}
    entry_id = request.GET.get("entry")
    if entry_id and entry_id.isdigit():
        entry = selectors.entry_list_for(request.user).filter(pk=int(entry_id)).first()
        if entry:
            initial.update(entry=entry.pk, field=entry.field, scope=entry.scope, forms=entry.forms,
                           time_type=entry.time_type, carriers=list(entry.carriers.all()))
    form = ItemForm(request.POST or None, initial=initial, organization=org)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        item, ok = _call(form, services.item_create, actor=request.user, entry_id=d["entry"].pk,
                         previous_id=d["previous"].pk if d["previous"] else None, **_item_kwargs(d))
        if ok:
            messages.success(request, _("已保存草稿。确认无误后请提交初审。"))
            return redirect("disclosure_portal:item_detail", pk=item.pk)
    return _form_page(request, form, title=_("拟稿：新的公开事项"), back=reverse("disclosure_portal:item_list"),
                      intro=_("公开日期原则安排在每月1—10日（北京时间），公开时间不少于15天。"))


@_roles(*ORG)
def item_edit(request, pk):
    item = get_object_or_404(selectors.item_list_for(request.user), pk=pk)
    if item.state not in EDITABLE_STATES:
        messages.error(request, _("只有拟稿或退回修改的事项可以修改。"))
        return redirect("disclosure_portal:item_detail", pk=item.pk)
    initial = {name: getattr(item, name) for name in ("title", "content", "field", "scope", "forms", "time_type",
                                                       "publish_on", "display_until")}
    initial["carriers"] = list(item.carriers.all())
    form = ItemForm(request.POST or None, initial=initial, organization=item.organization, editing=True)
    if request.method == "POST" and form.is_valid():
        _i, ok = _call(form, services.item_update, actor=request.user, item_id=item.pk, **_item_kwargs(form.cleaned_data))
        if ok:
            messages.success(request, _("已保存。"))
            return redirect("disclosure_portal:item_detail", pk=item.pk)
    return _form_page(request, form, title=_("修改公开事项"), back=reverse("disclosure_portal:item_detail", args=[item.pk]))


_ACTION_LABELS = {
    "disclosure.item.create": gettext_lazy("拟稿"),
    "disclosure.item.update": gettext_lazy("修改"),
    "disclosure.item.add_attachment": gettext_lazy("上传附件"),
    "disclosure.item.submit": gettext_lazy("提交初审"),
    "disclosure.item.initial_review": gettext_lazy("单位初审通过"),
    "disclosure.item.initial_return": gettext_lazy("初审退回"),
    "disclosure.item.review": gettext_lazy("领导小组审查通过"),
    "disclosure.item.review_return": gettext_lazy("审查退回"),
    "disclosure.item.publish": gettext_lazy("实施公开"),
    "disclosure.item.evidence": gettext_lazy("记录公开佐证"),
    "disclosure.item.inspect": gettext_lazy("监督检查"),
    "disclosure.item.supersede": gettext_lazy("被新一期替换"),
    "disclosure.item.archive": gettext_lazy("整理归档"),
    "disclosure.item.withdraw": gettext_lazy("撤下"),
}


_RECTIFICATION_ACTION_LABELS = {
    "disclosure.rectification.issue": gettext_lazy("下发整改通知"),
    "disclosure.rectification.report": gettext_lazy("报告整改情况"),
    "disclosure.rectification.return": gettext_lazy("复查：退回重改"),
    "disclosure.rectification.close": gettext_lazy("复查：销号"),
}


def _state_label(code, enums):
    for enum in enums:
        if code in enum.values:
            return enum(code).label
    return code


def _timeline(history, *, actions, states):
    """Audit entries ready to show: `.label` (what was done) and `.state_label`/`.from_label` (the states,
    by their translated names rather than their codes)."""
    entries = list(history)
    for entry in entries:
        entry.label = actions.get(entry.action, entry.action)
        entry.state_label = _state_label(entry.to_state, states) if entry.to_state else ""
        entry.from_label = _state_label(entry.from_state, states) if entry.from_state else ""
    return entries


def _item_forms(request, item, posted=None, bound_action=None):
    """The action forms this user may use on this item now (one bound form when re-showing errors)."""
    user = request.user
    forms = {}

    def make(name, cls, **kw):
        if bound_action == name:
            return posted
        return cls(**kw)

    own = user.has_perm("disclosure.edit_item", item)
    if own and item.state in EDITABLE_STATES:
        forms["attachment"] = make("attachment", AttachmentForm)
    if own and item.state == ItemState.SUBMITTED:
        forms["initial_review"] = make("initial_review", InitialReviewForm)
    if item.state in (ItemState.INITIAL_APPROVED, ItemState.APPROVED) and user.has_perm("disclosure.review_item", item) \
            and not own:
        forms["review"] = make("review", ReviewForm)
    if own and item.state in (ItemState.PUBLISHED, ItemState.ARCHIVED):
        forms["evidence"] = make("evidence", EvidenceForm, item=item)
    if own and item.state == ItemState.PUBLISHED:
        forms["end"] = make("end", EndForm)
    if item.published_on and user.has_perm("disclosure.inspect_item", item):
        forms["inspect"] = make("inspect", InspectForm)
    return forms


@_roles(*READERS)
def item_detail(request, pk, *, posted=None, bound_action=None, status=200):
    item = selectors.item_get_for(request.user, pk)
    history = _timeline(history_for(item), actions=_ACTION_LABELS, states=(ItemState, InspectionResult))
    own = request.user.has_perm("disclosure.edit_item", item)
    proof, loose_evidence = selectors.item_proof(item)
    return _render(request, "disclosure/portal/item_detail.html", {
        "proof": proof, "loose_evidence": loose_evidence, "min_display_days": dates.min_display_days(),
        "item": item, "history": history, "forms": _item_forms(request, item, posted, bound_action),
        "own": own, "editable": own and item.state in EDITABLE_STATES,
        "may_publish": own and item.state == ItemState.APPROVED,
        "steps": _steps(item), "series": selectors.item_series_for(request.user, item),
    }, status=status)


def _steps(item):
    """R14's four steps, each done or current, for the procedure picture on the item page."""
    s = item.state
    in_review = s in (*EDITABLE_STATES, ItemState.SUBMITTED, ItemState.INITIAL_APPROVED)
    return [
        {"label": _("提出审核"), "done": item.reviewed_at is not None and not in_review, "current": in_review},
        {"label": _("实施公开"), "done": item.published_on is not None, "current": s == ItemState.APPROVED},
        {"label": _("监督检查"), "done": bool(item.inspection_result),
         "current": s == ItemState.PUBLISHED and not item.inspection_result},
        {"label": _("整理归档"), "done": s == ItemState.ARCHIVED, "current": False},
    ]


@require_POST
@_roles(*READERS)
def item_action(request, pk, action):
    item = selectors.item_get_for(request.user, pk)
    user = request.user
    form = None
    try:
        if action == "submit":
            services.item_submit(actor=user, item_id=item.pk)
            messages.success(request, _("已提交单位初审。"))
        elif action == "publish":
            services.item_publish(actor=user, item_id=item.pk)
            messages.success(request, _("已公开。请记录各载体的公开佐证。"))
        elif action == "withdraw_draft":
            services.item_withdraw(actor=user, item_id=item.pk, reason=request.POST.get("reason", ""))
            messages.success(request, _("已作废该草稿。"))
        elif action == "attachment":
            form = AttachmentForm(request.POST, request.FILES)
            if form.is_valid():
                services.item_add_attachment(actor=user, item_id=item.pk, title=form.cleaned_data["title"],
                                             uploaded_file=form.cleaned_data["file"])
                messages.success(request, _("已上传附件。"))
        elif action == "initial_review":
            form = InitialReviewForm(request.POST)
            if form.is_valid():
                d = form.cleaned_data
                services.item_initial_review(
                    actor=user, item_id=item.pk, approve=d["decision"] == "approve", check_content=d["check_content"],
                    check_scope=d["check_scope"], check_form=d["check_form"], check_timing=d["check_timing"],
                    reason=d["reason"])
                messages.success(request, _("初审已记录。"))
        elif action == "review":
            form = ReviewForm(request.POST)
            if form.is_valid():
                services.item_review(actor=user, item_id=item.pk, approve=form.cleaned_data["decision"] == "approve",
                                     reason=form.cleaned_data["reason"])
                messages.success(request, _("审查已记录。"))
        elif action == "evidence":
            form = EvidenceForm(request.POST, request.FILES, item=item)
            if form.is_valid():
                d = form.cleaned_data
                services.item_record_evidence(actor=user, item_id=item.pk, kind=d["kind"],
                                              carrier_id=d["carrier"].pk if d["carrier"] else None,
                                              uploaded_file=d["file"], sms_count=d["sms_count"], note=d["note"])
                messages.success(request, _("已记录公开佐证。"))
        elif action == "end":
            form = EndForm(request.POST)
            if form.is_valid():
                func = services.item_archive if form.cleaned_data["action"] == "archive" else services.item_withdraw
                func(actor=user, item_id=item.pk, reason=form.cleaned_data["reason"])
                messages.success(request, _("已办理。"))
        elif action == "inspect":
            form = InspectForm(request.POST)
            if form.is_valid():
                d = form.cleaned_data
                services.item_inspect(actor=user, item_id=item.pk, result=d["result"], note=d["note"],
                                      finding_kind=d["finding_kind"])
                messages.success(request, _("检查结果已记录。"))
        else:
            raise Http404()
    except NotPermitted:
        raise Http404() from None
    except DomainError as exc:
        if form is None:
            messages.error(request, str(exc.message))
            return redirect("disclosure_portal:item_detail", pk=item.pk)
        add_domain_error(form, exc)
    if form is not None and form.errors:
        return item_detail.__wrapped__(request, pk, posted=form, bound_action=action, status=400)
    return redirect("disclosure_portal:item_detail", pk=item.pk)


# --- feedback (R18) --------------------------------------------------------------------------
@_roles(*READERS)
def feedback_list(request):
    qs = _organization_filter(request, selectors.feedback_list_for(request.user))
    state = request.GET.get("state", "")
    if state in FeedbackState.values:
        qs = qs.filter(state=state)
    page = Paginator(qs.order_by("-received_on", "-id"), 50).get_page(request.GET.get("page"))
    page.object_list = selectors.feedback_with_deadlines(page.object_list)
    return _render(request, "disclosure/portal/feedback_list.html", {
        "page": page, "states": FeedbackState.choices, "state": state,
        "may_answer": is_organization_user(request.user),
    })


@_roles(*READERS)
def feedback_detail(request, pk):
    feedback = get_object_or_404(selectors.feedback_list_for(request.user), pk=pk)
    feedback = selectors.feedback_with_deadlines([feedback])[0]
    may_answer = request.user.has_perm("disclosure.answer_feedback", feedback) and feedback.state in FEEDBACK_OPEN_STATES
    form = AnswerForm(request.POST or None) if may_answer else None
    if request.method == "POST":
        if not may_answer:
            raise Http404()
        if "handling" in request.POST:
            services.feedback_mark_handling(actor=request.user, feedback_id=feedback.pk)
            return redirect("disclosure_portal:feedback_detail", pk=feedback.pk)
        if form.is_valid():
            _f, ok = _call(form, services.feedback_answer, actor=request.user, feedback_id=feedback.pk,
                           answer=form.cleaned_data["answer"])
            if ok:
                messages.success(request, _("已答复。群众可凭回执码查看。"))
                return redirect("disclosure_portal:feedback_detail", pk=feedback.pk)
    return _render(request, "disclosure/portal/feedback_detail.html", {"feedback": feedback, "form": form})


# --- exemptions (R11) ----------------------------------------------------------------------
@_roles(*READERS)
def exemption_list(request):
    qs = _organization_filter(request, selectors.exemption_list_for(request.user))
    jurisdiction = request.GET.get("jurisdiction")
    if jurisdiction and jurisdiction.isdigit():
        qs = qs.filter(jurisdiction_id=int(jurisdiction))
    page = Paginator(qs.order_by("state", "review_by", "id"), 50).get_page(request.GET.get("page"))
    from sites.models import Jurisdiction

    return _render(request, "disclosure/portal/exemption_list.html", {
        "page": page, "today": timezone.localdate(), "may_create": is_organization_user(request.user),
        "jurisdictions": Jurisdiction.objects.order_by("sort_order", "id") if sees_everything(request.user) else [],
        "jurisdiction": jurisdiction or "",
    })


@_roles(*ORG)
def exemption_create(request):
    form = ExemptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _e, ok = _call(form, services.exemption_create, actor=request.user,
                       organization_id=request.user.organization_id, **form.cleaned_data)
        if ok:
            messages.success(request, _("已登记暂不宜公开信息备案。"))
            return redirect("disclosure_portal:exemption_list")
    return _form_page(request, form, title=_("登记暂不宜公开信息"), back=reverse("disclosure_portal:exemption_list"),
                      intro=_("公开是原则，不公开是例外（R11）：写明理由、依据、批准人和复核期限。"))


@_roles(*ORG)
def exemption_review(request, pk):
    exemption = get_object_or_404(selectors.exemption_list_for(request.user), pk=pk)
    form = ExemptionReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _e, ok = _call(form, services.exemption_review, actor=request.user, exemption_id=exemption.pk,
                       **form.cleaned_data)
        if ok:
            messages.success(request, _("复核已记录。"))
            return redirect("disclosure_portal:exemption_list")
    return _form_page(request, form, title=_("复核：%(title)s") % {"title": exemption.title},
                      back=reverse("disclosure_portal:exemption_list"))


# --- findings and rectifications (R20) ---------------------------------------------------------
@_roles(*REVIEWERS)
def finding_list(request):
    qs = _organization_filter(request, selectors.finding_list_for(request.user))
    state = request.GET.get("state", "")
    if state in FindingState.values:
        qs = qs.filter(state=state)
    page = Paginator(qs.order_by("-period", "-id"), 50).get_page(request.GET.get("page"))
    return _render(request, "disclosure/portal/finding_list.html", {
        "page": page, "states": FindingState.choices, "state": state,
        "may_record": is_county(request.user) or is_municipal(request.user),
    })


@_roles(*OFFICE)
def finding_create(request):
    organizations = selectors.organization_list_for(request.user).filter(is_active=True)
    form = FindingForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        finding, ok = _call(form, services.finding_record, actor=request.user, organization_id=d["organization"].pk,
                            kind=d["kind"], period=d["period"], description=d["description"])
        if ok:
            return redirect("disclosure_portal:finding_detail", pk=finding.pk)
    return _form_page(request, form, title=_("记录检查发现的问题"), back=reverse("disclosure_portal:finding_list"))


@_roles(*REVIEWERS)
def finding_detail(request, pk):
    finding = get_object_or_404(selectors.finding_list_for(request.user), pk=pk)
    may_act = finding.state == FindingState.OPEN and request.user.has_perm("disclosure.issue_rectification", finding)
    notice_form = NoticeForm(request.POST if "issue" in request.POST else None) if may_act else None
    dismiss_form = DismissForm(request.POST if "dismiss" in request.POST else None) if may_act else None
    if request.method == "POST":
        if not may_act:
            raise Http404()
        if "issue" in request.POST and notice_form.is_valid():
            notice, ok = _call(notice_form, services.rectification_issue, actor=request.user, finding_id=finding.pk,
                               **notice_form.cleaned_data)
            if ok:
                messages.success(request, _("已下发整改通知。"))
                return redirect("disclosure_portal:rectification_detail", pk=notice.pk)
        if "dismiss" in request.POST and dismiss_form.is_valid():
            _f, ok = _call(dismiss_form, services.finding_dismiss, actor=request.user, finding_id=finding.pk,
                           reason=dismiss_form.cleaned_data["reason"])
            if ok:
                return redirect("disclosure_portal:finding_list")
    return _render(request, "disclosure/portal/finding_detail.html", {
        "finding": finding, "notice_form": notice_form, "dismiss_form": dismiss_form,
    })


@_roles(*READERS)
def rectification_list(request):
    qs = _organization_filter(request, selectors.rectification_list_for(request.user))
    state = request.GET.get("state", "")
    if state in RectificationState.values:
        qs = qs.filter(state=state)
    today = timezone.localdate()
    page = Paginator(qs.order_by("deadline", "id"), 50).get_page(request.GET.get("page"))
    for notice in page.object_list:
        notice.overdue = services.rectification_is_overdue(notice, today)
    return _render(request, "disclosure/portal/rectification_list.html", {
        "page": page, "states": RectificationState.choices, "state": state,
    })


@_roles(*READERS)
def rectification_detail(request, pk):
    notice = get_object_or_404(selectors.rectification_list_for(request.user), pk=pk)
    user = request.user
    may_report = notice.state in (RectificationState.ISSUED, RectificationState.RETURNED) and \
        user.has_perm("disclosure.report_rectification", notice)
    may_check = notice.state == RectificationState.REPORTED and user.has_perm("disclosure.check_rectification", notice)
    report_form = ReportForm(request.POST or None) if may_report else None
    check_form = CheckForm(request.POST or None) if may_check else None
    if request.method == "POST":
        if may_report and report_form.is_valid():
            _r, ok = _call(report_form, services.rectification_report, actor=user, rectification_id=notice.pk,
                           report=report_form.cleaned_data["report"])
            if ok:
                messages.success(request, _("已报告整改情况，等待复查。"))
                return redirect("disclosure_portal:rectification_detail", pk=notice.pk)
        elif may_check and check_form.is_valid():
            _r, ok = _call(check_form, services.rectification_check, actor=user, rectification_id=notice.pk,
                           accept=check_form.cleaned_data["decision"] == "close", note=check_form.cleaned_data["note"])
            if ok:
                messages.success(request, _("复查已记录。"))
                return redirect("disclosure_portal:rectification_detail", pk=notice.pk)
        elif not (may_report or may_check):
            raise Http404()
    notice.overdue = services.rectification_is_overdue(notice)
    history = _timeline(history_for(notice), actions=_RECTIFICATION_ACTION_LABELS, states=(RectificationState,))
    return _render(request, "disclosure/portal/rectification_detail.html", {
        "notice": notice, "report_form": report_form, "check_form": check_form,
        "history": history, "exchange": selectors.rectification_exchange(notice, history),
    })


# --- compliance board (R16–R20) --------------------------------------------------------------
@_roles(*REVIEWERS)
def board(request):
    """The compliance board: the whole city (全市, by default for staff) or one jurisdiction; a county
    office sees only its own (any other choice is 404)."""
    from sites.models import Jurisdiction

    user = request.user
    jurisdiction = selectors.board_jurisdiction_for(user, request.GET.get("jurisdiction"))
    jurisdiction_id = jurisdiction.pk if jurisdiction else None
    data = selectors.board_for(user, jurisdiction_id=jurisdiction_id)
    for row in data["rows"]:
        row["svg"] = charts.compliance_strip(row["calendar"])
    staff = sees_everything(user)
    return _render(request, "disclosure/portal/board.html", {
        **data,
        "jurisdictions": Jurisdiction.objects.order_by("sort_order", "id") if staff else [],
        "jurisdiction": jurisdiction,
        "jurisdiction_id": jurisdiction_id,
        # What the export and the picker send back: "all" for the whole city, else the jurisdiction's id.
        "scope_value": str(jurisdiction_id) if jurisdiction_id else selectors.CITY_WIDE,
        "city_wide": jurisdiction is None,
        "legend": charts.LEGEND,
        "overdue_feedback": selectors.open_feedback_overdue_for(user, jurisdiction_id=jurisdiction_id)[:50],
        "month_options": data["months"],
    })


@_roles(*REVIEWERS)
def board_export(request):
    """The month's compliance report as Excel, for the same scope as the board (404 outside it)."""
    from ..exports import monthly_compliance_workbook

    jurisdiction = selectors.board_jurisdiction_for(request.user, request.GET.get("jurisdiction"))
    return monthly_compliance_workbook(request.user, month=request.GET.get("month", ""), jurisdiction=jurisdiction)
