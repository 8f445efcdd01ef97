"""Portal pages of what an organisation keeps: its catalogue and carriers (R12, R13) and its register of
information held back (R11). Reads start from the selectors, writes go through the services."""
from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from qujing_disclosure.core import clock

from ... import selectors, services
from ...forms import CarrierForm, EntryForm, ExemptionForm, ExemptionReviewForm
from .common import call, form_page, organization_filter, page, render_page, require_object


@page()
def catalogue(request: HttpRequest) -> HttpResponse:
    user = request.user
    entries = organization_filter(request, selectors.entry_list_for(user)).order_by(
        "organization_id", "category__sort_order", "id")
    carriers = organization_filter(request, selectors.carrier_list_for(user)).order_by("organization_id", "kind", "id")
    return render_page(request, "disclosure/portal/catalogue.html", {
        "entries": entries[:300], "carriers": carriers[:300], "may_edit": user.has_perm("disclosure.add_entry"),
    })


def _entry_values(d: dict) -> dict:
    return {"category_id": d["category"].pk, "title": d["title"], "description": d["description"],
            "field": d["field"], "scope": d["scope"], "forms": d["forms"],
            "carrier_ids": [c.pk for c in d["carriers"]], "time_type": d["time_type"], "cadence": d["cadence"]}


@page("disclosure.add_entry")
def entry_create(request: HttpRequest) -> HttpResponse:
    org = request.user.organization
    form = EntryForm(request.POST or None, organization=org)
    if request.method == "POST" and form.is_valid():
        _entry, ok = call(form, services.entry_create, actor=request.user, organization_id=org.pk,
                          **_entry_values(form.cleaned_data))
        if ok:
            messages.success(request, _("已添加目录条目。"))
            return redirect("disclosure_portal:catalogue")
    return form_page(request, form, title=_("添加公开目录条目"), back=reverse("disclosure_portal:catalogue"))


@page()
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get_for(request.user, pk)
    require_object(request, "disclosure.manage_catalogue", entry)
    initial = {"category": entry.category_id, "title": entry.title, "description": entry.description,
               "field": entry.field, "scope": entry.scope, "forms": entry.forms, "time_type": entry.time_type,
               "cadence": entry.cadence, "carriers": list(entry.carriers.all())}
    form = EntryForm(request.POST or None, initial=initial, organization=entry.organization)
    if request.method == "POST" and "deactivate" in request.POST:
        services.entry_update(actor=request.user, entry_id=entry.pk, is_active=not entry.is_active)
        messages.success(request, _("已更新目录条目状态。"))
        return redirect("disclosure_portal:catalogue")
    if request.method == "POST" and form.is_valid():
        _e, ok = call(form, services.entry_update, actor=request.user, entry_id=entry.pk,
                      **_entry_values(form.cleaned_data))
        if ok:
            messages.success(request, _("已保存目录条目。"))
            return redirect("disclosure_portal:catalogue")
    return form_page(request, form, title=_("修改公开目录条目"), back=reverse("disclosure_portal:catalogue"),
                     toggle=_("停用此条目") if entry.is_active else _("重新启用此条目"))


@page("disclosure.add_carrier")
def carrier_create(request: HttpRequest) -> HttpResponse:
    form = CarrierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _c, ok = call(form, services.carrier_create, actor=request.user,
                      organization_id=request.user.organization_id, **form.cleaned_data)
        if ok:
            messages.success(request, _("已登记公开载体。"))
            return redirect("disclosure_portal:catalogue")
    return form_page(request, form, title=_("登记公开载体"), back=reverse("disclosure_portal:catalogue"))


@page()
def carrier_edit(request: HttpRequest, pk: int) -> HttpResponse:
    carrier = selectors.carrier_get_for(request.user, pk)
    require_object(request, "disclosure.manage_catalogue", carrier)
    form = CarrierForm(request.POST or None, initial={f: getattr(carrier, f) for f in services.CARRIER_FIELDS})
    if request.method == "POST" and "deactivate" in request.POST:
        services.carrier_update(actor=request.user, carrier_id=carrier.pk, is_active=not carrier.is_active)
        return redirect("disclosure_portal:catalogue")
    if request.method == "POST" and form.is_valid():
        _c, ok = call(form, services.carrier_update, actor=request.user, carrier_id=carrier.pk, **form.cleaned_data)
        if ok:
            messages.success(request, _("已保存公开载体。"))
            return redirect("disclosure_portal:catalogue")
    return form_page(request, form, title=_("修改公开载体"), back=reverse("disclosure_portal:catalogue"),
                     toggle=_("停用此载体") if carrier.is_active else _("重新启用此载体"))


# --- exemptions (R11) -------------------------------------------------------------------------------
@page()
def exemption_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    qs = organization_filter(request, selectors.exemption_list_for(user))
    jurisdiction = request.GET.get("jurisdiction")
    if jurisdiction and jurisdiction.isdigit():
        qs = qs.filter(jurisdiction_id=int(jurisdiction))
    page_ = Paginator(qs.order_by("state", "review_by", "id"), 50).get_page(request.GET.get("page"))
    return render_page(request, "disclosure/portal/exemption_list.html", {
        "page": page_, "today": clock.today(), "may_create": user.has_perm("disclosure.add_exemption"),
        "jurisdictions": selectors.jurisdiction_choices_for(user), "jurisdiction": jurisdiction or "",
    })


@page("disclosure.add_exemption")
def exemption_create(request: HttpRequest) -> HttpResponse:
    form = ExemptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _e, ok = call(form, services.exemption_create, actor=request.user,
                      organization_id=request.user.organization_id, **form.cleaned_data)
        if ok:
            messages.success(request, _("已登记暂不宜公开信息备案。"))
            return redirect("disclosure_portal:exemption_list")
    return form_page(request, form, title=_("登记暂不宜公开信息"), back=reverse("disclosure_portal:exemption_list"),
                     intro=_("公开是原则，不公开是例外（R11）：写明理由、依据、批准人和复核期限。"))


@page()
def exemption_review(request: HttpRequest, pk: int) -> HttpResponse:
    exemption = selectors.exemption_get_for(request.user, pk)
    require_object(request, "disclosure.manage_exemption", exemption)
    form = ExemptionReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _e, ok = call(form, services.exemption_review, actor=request.user, exemption_id=exemption.pk,
                      **form.cleaned_data)
        if ok:
            messages.success(request, _("复核已记录。"))
            return redirect("disclosure_portal:exemption_list")
    return form_page(request, form, title=_("复核：%(title)s") % {"title": exemption.title},
                     back=reverse("disclosure_portal:exemption_list"))
