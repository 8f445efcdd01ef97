"""The portal of the designation workflow (/portal/): county offices and units apply and screen.

Views are thin: reads start from the scoped selectors, writes go through
sites.services. An object the user may not read, or may not act on, answers
404 (never 403), so nothing about another jurisdiction leaks. State changes are
POST-only and CSRF-protected.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from qujing_disclosure.core.access import is_county, is_evaluator, is_organization_user, sees_everything
from qujing_disclosure.core.audit import action_label, history_for
from qujing_disclosure.core.clock import today
from qujing_disclosure.core.errors import DomainError, NotPermitted
from qujing_disclosure.core.portal import dashboard_blocks_for, portal_menu, render_blocks

from .. import services
from ..enums import ApplicationState, RoundStatus
from ..forms import (
    ApplicationCreateForm,
    ApplicationEditForm,
    ApplicationFilterForm,
    MaterialFormSet,
    RecommendForm,
    RejectForm,
    WithdrawForm,
    add_domain_error,
    allowed_types_text,
    upload_limit_text,
)
from ..selectors import (
    QuotaUsage,
    application_get_for,
    application_list_for,
    application_state_counts,
    organization_list_for,
    quota_usage,
    quota_usage_for,
    round_apply_list_for,
    round_get_for,
    round_list_for,
    round_usage_list_for,
    screening_summary,
)

# States a county office works with every round, always shown on the dashboard; later
# (evaluation) states appear once an application reaches them.
_MAIN_STATES = (
    ApplicationState.DRAFT,
    ApplicationState.SUBMITTED,
    ApplicationState.RECOMMENDED,
    ApplicationState.REJECTED,
    ApplicationState.WITHDRAWN,
)

# The applicant's words for their own history (other actions read as core.audit's registered words).
_ACTION_LABELS = {
    "sites.application.create": gettext_lazy("创建草稿"),
    "sites.application.update": gettext_lazy("修改申报内容"),
    "sites.application.add_material": gettext_lazy("上传材料"),
    "sites.application.submit": gettext_lazy("提交申报"),
    "sites.application.withdraw": gettext_lazy("撤回申报"),
    "sites.application.recommend": gettext_lazy("审核推荐"),
    "sites.application.reject": gettext_lazy("审核不推荐"),
}


# --- helpers -------------------------------------------------------------------------
def _in_application_window(round_):
    day = today()  # China time
    return round_.status == RoundStatus.OPEN and round_.applications_open_on <= day <= round_.applications_close_on


def _admin_url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _render(request, template, context, *, status=200):
    context = {**context, "portal_menu": portal_menu(request)}
    return render(request, template, context, status=status)


def _state_counts(applications):
    """[(state, label, count)] of the user's applications, in workflow order (one query)."""
    counts = application_state_counts(applications)
    return [
        {"state": state, "label": state.label, "count": counts.get(state.value, 0)}
        for state in ApplicationState
        if state in _MAIN_STATES or counts.get(state.value)
    ]


# Colours of the state bar (same family as the badges in app.css).
_STATE_COLOURS = {
    "draft": "#9ca3af", "submitted": "#d97706", "recommended": "#1a7f37", "rejected": "#b3261e",
    "withdrawn": "#d1d5db", "shortlisted": "#2563eb", "awarded": "#15803d", "not_awarded": "#6b7280",
}


def _state_bar(state_counts):
    """Segments of a 100-wide stacked bar (inline SVG in the template)."""
    total = sum(row["count"] for row in state_counts)
    segments, x = [], 0.0
    for row in state_counts:
        if not row["count"]:
            continue
        width = 100 * row["count"] / total
        segments.append({**row, "x": f"{x:.2f}", "width": f"{width:.2f}", "colour": _STATE_COLOURS.get(row["state"], "#6b7280")})
        x += width
    return {"total": total, "segments": segments}


# --- dashboard -----------------------------------------------------------------------
@login_required
def dashboard(request):
    """One page per role: what needs doing now. Query count does not grow with the data."""
    user = request.user
    context = {"today": today()}
    if is_county(user):
        context["kind"] = "county"
        context["open_rounds"] = round_usage_list_for(user, status=RoundStatus.OPEN)
        for round_ in context["open_rounds"]:
            round_.can_apply = _in_application_window(round_) and round_.usage_slots is not None
        context["state_counts"] = _state_counts(application_list_for(user))
        context["state_bar"] = _state_bar(context["state_counts"])
    elif is_organization_user(user):
        context["kind"] = "organization"
        context["applications"] = list(application_list_for(user).annotate(material_count=Count("materials"))[:20])
        context["apply_rounds"] = list(round_apply_list_for(user, in_window=True))
    elif sees_everything(user):
        context["kind"] = "staff"
        context["rounds"] = round_usage_list_for(user)
        context["admin_rounds_url"] = _admin_url("admin:sites_round_changelist") if user.is_staff else None
    elif is_evaluator(user):
        context["kind"] = "evaluator"
    else:
        context["kind"] = "none"
    context["blocks"] = render_blocks(request, dashboard_blocks_for(request))
    return _render(request, "sites/portal/dashboard.html", context)


# --- rounds --------------------------------------------------------------------------
@login_required
def round_list(request):
    user = request.user
    return _render(request, "sites/portal/round_list.html", {
        "rounds": round_usage_list_for(user), "show_usage": user.has_perm("sites.list_applications"),
        "is_staff_view": user.has_perm("sites.view_screening_summary"),
    })


@login_required
def round_detail(request, pk):
    user = request.user
    round_ = round_get_for(user, pk)
    context = {"round": round_, "in_window": _in_application_window(round_)}
    if user.has_perm("sites.view_screening_summary"):
        context["summary"] = [
            {**row, "usage": QuotaUsage(slots=row["slots"], limit=row["limit"], recommended=row["recommended"])}
            for row in screening_summary(round_=round_)
        ]
        context["admin_url"] = _admin_url("admin:sites_round_change", round_.pk) if user.is_staff else None
    usage = quota_usage_for(user, round_=round_)
    if usage is not None:
        context["usage"] = usage
        context["jurisdiction_name"] = usage.jurisdiction_name
        context["state_counts"] = _state_counts(application_list_for(user).filter(round=round_))
        context["can_apply"] = context["in_window"] and usage.slots is not None
    return _render(request, "sites/portal/round_detail.html", context)


# --- applications --------------------------------------------------------------------
@login_required
def application_list(request):
    user = request.user
    if not user.has_perm("sites.list_applications"):
        raise Http404()
    rounds = round_list_for(user)
    filters = ApplicationFilterForm(request.GET or None, rounds=rounds)
    applications = application_list_for(user).annotate(material_count=Count("materials"))
    if filters.is_valid():
        if filters.cleaned_data["round"]:
            applications = applications.filter(round=filters.cleaned_data["round"])
        if filters.cleaned_data["state"]:
            applications = applications.filter(state=filters.cleaned_data["state"])
    page = Paginator(applications.order_by("-created_at", "-id"), 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return _render(request, "sites/portal/application_list.html", {
        "filters": filters, "page": page, "query": query.urlencode(), "may_apply": user.has_perm("sites.add_application"),
        "show_jurisdiction": not is_county(user) and not is_organization_user(user),
    })


@login_required
def application_create(request):
    user = request.user
    if not user.has_perm("sites.add_application"):
        raise Http404()
    rounds = round_apply_list_for(user)
    fixed = user.organization if is_organization_user(user) else None
    organizations = organization_list_for(user).order_by("name")
    if fixed is None:
        # Inactive units are not offered; a unit's own (fixed) organisation stays so that the
        # service explains why it cannot apply.
        organizations = organizations.filter(is_active=True)
    initial = {"round": request.GET.get("round")} if request.method == "GET" else None
    form = ApplicationCreateForm(
        request.POST or None, initial=initial, rounds=rounds, organizations=organizations, fixed_organization=fixed
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                actor=user,
                round_id=form.cleaned_data["round"].pk,
                organization_id=(fixed or form.cleaned_data["organization"]).pk,
                summary=form.cleaned_data["summary"],
                contact_name=form.cleaned_data["contact_name"],
                contact_phone=form.cleaned_data["contact_phone"],
            )
        except NotPermitted:
            raise Http404() from None
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("申报草稿已创建。请上传申报材料，然后提交。"))
            return redirect("portal:application_materials", pk=application.pk)
    return _render(request, "sites/portal/application_form.html", {"form": form, "creating": True, "has_rounds": rounds.exists()})


def _editable_application(request, pk):
    """A draft the user may edit, else 404 (out of scope or not theirs to edit)."""
    application = application_get_for(request.user, pk)
    if not request.user.has_perm("sites.edit_application", application):
        raise Http404()
    return application


@login_required
def application_edit(request, pk):
    application = _editable_application(request, pk)
    if application.state != ApplicationState.DRAFT:
        messages.error(request, _("只有草稿状态的申报可以修改。"))
        return redirect("portal:application_detail", pk=application.pk)
    initial = {f: getattr(application, f) for f in ("summary", "contact_name", "contact_phone")}
    form = ApplicationEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_update(actor=request.user, application_id=application.pk, **form.cleaned_data)
        except NotPermitted:
            raise Http404() from None
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("申报内容已保存。"))
            return redirect("portal:application_detail", pk=application.pk)
    return _render(request, "sites/portal/application_form.html", {"form": form, "application": application, "creating": False})


@login_required
def application_materials(request, pk):
    """Upload several files at once, each with a title. All or none are saved."""
    application = _editable_application(request, pk)
    if application.state != ApplicationState.DRAFT:
        messages.error(request, _("只有草稿状态的申报可以上传材料。"))
        return redirect("portal:application_detail", pk=application.pk)
    formset = MaterialFormSet(request.POST or None, request.FILES or None, prefix="m")
    if request.method == "POST" and formset.is_valid():
        rows = [form for form in formset.forms if form.cleaned_data.get("file")]
        saved, current = [], None
        try:
            with transaction.atomic():
                for current in rows:
                    saved.append(services.application_add_material(
                        actor=request.user, application_id=application.pk,
                        title=current.cleaned_data.get("title", ""), uploaded_file=current.cleaned_data["file"],
                    ))
        except DomainError as error:
            # The rows were rolled back; drop the files they had already written.
            for material in saved:
                material.file.storage.delete(material.file.name)
            if isinstance(error, NotPermitted):
                raise Http404() from None
            add_domain_error(current, error)
        else:
            messages.success(request, _("已上传 %(count)d 个文件。") % {"count": len(rows)})
            return redirect("portal:application_detail", pk=application.pk)
    return _render(request, "sites/portal/application_materials.html", {
        "application": application, "formset": formset, "materials": list(application.materials.all()),
        "allowed_types": allowed_types_text(), "size_limit": upload_limit_text(),
    })


def _detail_context(request, application, **forms):
    user = request.user
    state = application.state
    can = {
        "edit": state == ApplicationState.DRAFT and user.has_perm("sites.edit_application", application),
        "submit": state == ApplicationState.DRAFT and user.has_perm("sites.submit_application", application),
        "withdraw": state in (ApplicationState.DRAFT, ApplicationState.SUBMITTED)
        and user.has_perm("sites.withdraw_application", application),
        "screen": state == ApplicationState.SUBMITTED and user.has_perm("sites.screen_application", application),
    }
    history = []
    for entry in history_for(application):
        history.append({
            "at": entry.created_at,
            "actor": entry.actor,
            "label": _ACTION_LABELS.get(entry.action) or action_label(entry.action),
            "from_label": _state_label(entry.from_state),
            "to_label": _state_label(entry.to_state),
            "reason": entry.reason,
            "material": entry.data.get("title") if entry.action == "sites.application.add_material" else None,
        })
    usage = None
    if user.has_perm("sites.view_screening_usage", application):
        usage = quota_usage(round_=application.round, jurisdiction=application.jurisdiction_id)
    return {
        "application": application,
        "materials": list(application.materials.select_related("uploaded_by")),
        "history": history,
        "can": can,
        "usage": usage,
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(prefix="withdraw"),
        "recommend_form": forms.get("recommend_form") or RecommendForm(prefix="recommend"),
        "reject_form": forms.get("reject_form") or RejectForm(prefix="reject"),
    }


def _state_label(value):
    if not value:
        return ""
    try:
        return ApplicationState(value).label
    except ValueError:
        return value


@login_required
def application_detail(request, pk):
    application = application_get_for(request.user, pk)
    return _render(request, "sites/portal/application_detail.html", _detail_context(request, application))


def _transition(request, pk, *, service, form_class=None, form_name=None, success):
    """Run one state change from a POST; refusals are shown on the detail page, out of scope is 404."""
    application = application_get_for(request.user, pk)
    kwargs, form = {}, None
    if form_class is not None:
        form = form_class(request.POST, prefix=form_name.removesuffix("_form"))
        if not form.is_valid():
            return _render(request, "sites/portal/application_detail.html",
                           _detail_context(request, application, **{form_name: form}))
        kwargs = form.cleaned_data
    try:
        service(actor=request.user, application_id=application.pk, **kwargs)
    except NotPermitted:
        raise Http404() from None
    except DomainError as error:
        if form is None:
            messages.error(request, str(error.message))
            return redirect("portal:application_detail", pk=application.pk)
        add_domain_error(form, error)
        return _render(request, "sites/portal/application_detail.html",
                       _detail_context(request, application, **{form_name: form}))
    messages.success(request, success)
    return redirect("portal:application_detail", pk=application.pk)


@login_required
@require_POST
def application_submit(request, pk):
    return _transition(request, pk, service=services.application_submit,
                       success=_("申报已提交，等待辖区审核推荐。"))


@login_required
@require_POST
def application_withdraw(request, pk):
    return _transition(request, pk, service=services.application_withdraw, form_class=WithdrawForm,
                       form_name="withdraw_form", success=_("申报已撤回。"))


@login_required
@require_POST
def application_recommend(request, pk):
    return _transition(request, pk, service=services.application_recommend, form_class=RecommendForm,
                       form_name="recommend_form", success=_("已推荐。"))


@login_required
@require_POST
def application_reject(request, pk):
    return _transition(request, pk, service=services.application_reject, form_class=RejectForm,
                       form_name="reject_form", success=_("已审核为不推荐。"))


# Uploaded materials are served by core.media with sites.selectors.material_download_allowed.
