"""Portal pages of disclosure items (R13–R17): the list, drafting and editing, and one item with its
procedure, history, proof per carrier, series and the action forms its user may use now."""
from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qujing_disclosure.core.audit import history_for
from qujing_disclosure.core.errors import DomainError, NotPermitted

from ... import dates, selectors, services
from ...enums import EDITABLE_STATES, InspectionResult, ItemState
from ...forms import (
    AttachmentForm,
    EndForm,
    EvidenceForm,
    InitialReviewForm,
    InspectForm,
    ItemForm,
    ReviewForm,
    add_domain_error,
)
from ...models import Item
from .common import call, form_page, organization_filter, page, render_page, require_object, timeline


@page()
def item_list(request: HttpRequest) -> HttpResponse:
    items = organization_filter(request, selectors.item_list_for(request.user))
    state = request.GET.get("state", "")
    if state in ItemState.values:
        items = items.filter(state=state)
    q = request.GET.get("q", "").strip()
    if q:
        items = items.filter(title__icontains=q)
    page_ = Paginator(items.order_by("-publish_on", "-id"), 50).get_page(request.GET.get("page"))
    return render_page(request, "disclosure/portal/item_list.html", {
        "page": page_, "states": ItemState.choices, "state": state, "q": q,
        "may_create": request.user.has_perm("disclosure.add_item"),
    })


def _item_values(d: dict) -> dict:
    return {"title": d["title"], "content": d["content"], "field": d["field"], "scope": d["scope"],
            "forms": d["forms"], "carrier_ids": [c.pk for c in d["carriers"]], "time_type": d["time_type"],
            "publish_on": d["publish_on"], "display_until": d["display_until"]}


@page("disclosure.add_item")
def item_create(request: HttpRequest) -> HttpResponse:
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
        item, ok = call(form, services.item_create, actor=request.user, entry_id=d["entry"].pk,
                        previous_id=d["previous"].pk if d["previous"] else None, **_item_values(d))
        if ok:
            messages.success(request, _("已保存草稿。确认无误后请提交初审。"))
            return redirect("disclosure_portal:item_detail", pk=item.pk)
    return form_page(request, form, title=_("拟稿：新的公开事项"), back=reverse("disclosure_portal:item_list"),
                     intro=_("公开日期原则安排在每月1—10日（北京时间），公开时间不少于15天。"))


@page()
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get_for(request.user, pk)
    require_object(request, "disclosure.edit_item", item)
    if item.state not in EDITABLE_STATES:
        messages.error(request, _("只有拟稿或退回修改的事项可以修改。"))
        return redirect("disclosure_portal:item_detail", pk=item.pk)
    initial = {name: getattr(item, name) for name in ("title", "content", "field", "scope", "forms", "time_type",
                                                       "publish_on", "display_until")}
    initial["carriers"] = list(item.carriers.all())
    form = ItemForm(request.POST or None, initial=initial, organization=item.organization, editing=True)
    if request.method == "POST" and form.is_valid():
        _i, ok = call(form, services.item_update, actor=request.user, item_id=item.pk,
                      **_item_values(form.cleaned_data))
        if ok:
            messages.success(request, _("已保存。"))
            return redirect("disclosure_portal:item_detail", pk=item.pk)
    return form_page(request, form, title=_("修改公开事项"), back=reverse("disclosure_portal:item_detail", args=[item.pk]))


def _item_forms(request: HttpRequest, item: Item, posted=None, bound_action: str | None = None) -> dict:
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


def _steps(item: Item) -> list[dict]:
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


def _detail(request: HttpRequest, pk: int, *, posted=None, bound_action: str | None = None,
            status: int = 200) -> HttpResponse:
    item = selectors.item_get_for(request.user, pk)
    history = timeline(history_for(item), states=(ItemState, InspectionResult))
    own = request.user.has_perm("disclosure.edit_item", item)
    proof, loose_evidence = selectors.item_proof(item)
    return render_page(request, "disclosure/portal/item_detail.html", {
        "proof": proof, "loose_evidence": loose_evidence, "min_display_days": dates.min_display_days(),
        "item": item, "history": history, "forms": _item_forms(request, item, posted, bound_action),
        "own": own, "editable": own and item.state in EDITABLE_STATES,
        "may_publish": own and item.state == ItemState.APPROVED,
        "steps": _steps(item), "series": selectors.item_series_for(request.user, item),
    }, status=status)


@page()
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


def _run(request: HttpRequest, item: Item, action: str):
    """The service behind one action button or form: (bound form or None, success message)."""
    user = request.user
    if action == "submit":
        services.item_submit(actor=user, item_id=item.pk)
        return None, _("已提交单位初审。")
    if action == "publish":
        services.item_publish(actor=user, item_id=item.pk)
        return None, _("已公开。请记录各载体的公开佐证。")
    if action == "withdraw_draft":
        services.item_withdraw(actor=user, item_id=item.pk, reason=request.POST.get("reason", ""))
        return None, _("已作废该草稿。")
    forms = {"attachment": lambda: AttachmentForm(request.POST, request.FILES),
             "initial_review": lambda: InitialReviewForm(request.POST),
             "review": lambda: ReviewForm(request.POST),
             "evidence": lambda: EvidenceForm(request.POST, request.FILES, item=item),
             "end": lambda: EndForm(request.POST),
             "inspect": lambda: InspectForm(request.POST)}
    if action not in forms:
        raise Http404()
    form = forms[action]()
    if not form.is_valid():
        return form, None
    d = form.cleaned_data
    try:
        if action == "attachment":
            services.item_add_attachment(actor=user, item_id=item.pk, title=d["title"], uploaded_file=d["file"])
            return form, _("已上传附件。")
        if action == "initial_review":
            services.item_initial_review(
                actor=user, item_id=item.pk, approve=d["decision"] == "approve", check_content=d["check_content"],
                check_scope=d["check_scope"], check_form=d["check_form"], check_timing=d["check_timing"],
                reason=d["reason"])
            return form, _("初审已记录。")
        if action == "review":
            services.item_review(actor=user, item_id=item.pk, approve=d["decision"] == "approve", reason=d["reason"])
            return form, _("审查已记录。")
        if action == "evidence":
            services.item_record_evidence(actor=user, item_id=item.pk, kind=d["kind"],
                                          carrier_id=d["carrier"].pk if d["carrier"] else None,
                                          uploaded_file=d["file"], sms_count=d["sms_count"], note=d["note"])
            return form, _("已记录公开佐证。")
        if action == "end":
            end = services.item_archive if d["action"] == "archive" else services.item_withdraw
            end(actor=user, item_id=item.pk, reason=d["reason"])
            return form, _("已办理。")
        services.item_inspect(actor=user, item_id=item.pk, result=d["result"], note=d["note"],
                              finding_kind=d["finding_kind"])
        return form, _("检查结果已记录。")
    except DomainError as exc:
        if isinstance(exc, NotPermitted):
            raise
        add_domain_error(form, exc)
        return form, None


@require_POST
@page()
def item_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One step on an item, posted from its page: refusals land on the form they came from (400), or as a
    message when the step has no form; anything the user may not do is 404."""
    item = selectors.item_get_for(request.user, pk)
    try:
        form, done = _run(request, item, action)
    except NotPermitted:
        raise Http404() from None
    except DomainError as exc:  # a step without a form
        messages.error(request, str(exc.message))
        return redirect("disclosure_portal:item_detail", pk=item.pk)
    if form is not None and form.errors:
        return _detail(request, pk, posted=form, bound_action=action, status=400)
    if done:
        messages.success(request, done)
    return redirect("disclosure_portal:item_detail", pk=item.pk)
