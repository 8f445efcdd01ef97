"""The office's pages of a round being evaluated: overview, teams and assignments, democratic evaluation,
candidates' results, ranking and calibration, the preliminary list, deliberation and publicity, exports;
a county office's results; inspections (R20)."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qujing_disclosure.core.errors import DomainError
from sites import services as site_services
from sites.enums import RoundStatus
from sites.selectors import organization_list_for

from ... import charts, exports, selectors, services
from ...enums import ASSIGNMENT_ACTIVE_STATES, ScorecardState
from ...forms import DeliberationForm, DemocraticForm, InspectionForm, PublicityForm, ReasonForm, add_domain_error
from ...models import Assignment, Deliberation, Publicity
from .common import domain_message, form_page, listed, perm_or_404, ranking_readers, render_page, run_form, staff_only


@ranking_readers
def round_list(request):
    rounds = selectors.evaluation_round_list_for(request.user).exclude(status=RoundStatus.DRAFT).annotate(
        n_candidates=Count("candidates", distinct=True)).order_by("-year", "level", "-id")
    return render_page(request, "evaluation/portal/round_list.html", {"rounds": rounds})


@ranking_readers
def round_detail(request, pk):
    """Staff overview: table, teams, candidates and their assignment progress."""
    user = request.user
    round_ = selectors.evaluation_round_get_for(user, pk)
    table = selectors.table_list_for(user).filter(round=round_).first()
    teams = selectors.team_list_for(user).filter(round=round_)
    active = Q(assignments__state__in=ASSIGNMENT_ACTIVE_STATES)
    candidates = (selectors.candidate_list_for(user).filter(round=round_).select_related("democratic")
                  .annotate(n_assigned=Count("assignments", filter=active, distinct=True),
                            n_submitted=Count("assignments", filter=active & Q(assignments__scorecard__state=ScorecardState.SUBMITTED), distinct=True))
                  .prefetch_related(Prefetch("assignments", to_attr="panel", queryset=Assignment.objects.select_related("evaluator", "scorecard")
                                             .order_by("evaluator__username")))
                  .order_by("kind", "jurisdiction__sort_order", "organization__name"))
    return render_page(request, "evaluation/portal/round_detail.html", {
        "round": round_, "table": table, "teams": teams, "candidates": candidates,
        "deliberations": Deliberation.objects.filter(round=round_)[:5],
        "publicities": Publicity.objects.filter(round=round_),
        "can_manage": user.has_perm("evaluation.manage"),
        "can_assign": user.has_perm("evaluation.manage") and round_.status in (RoundStatus.CLOSED, RoundStatus.EVALUATING),
        "withdraw_form": ReasonForm(),
    })


@staff_only
@require_POST
def assignment_withdraw(request, pk):
    """Staff take an evaluator off a candidate (recorded with the reason, never deleted)."""
    assignment = selectors.assignment_get_for(request.user, pk)
    run_form(request, ReasonForm(request.POST),
             lambda data: services.assignment_withdraw(actor=request.user, assignment_id=assignment.pk, reason=data["reason"]),
             success=_("已撤回%(user)s对%(org)s的考评分工。") % {"user": assignment.evaluator, "org": assignment.candidate.organization.name},
             invalid=_("撤回考评分工必须填写理由。"))
    if request.POST.get("back") == "candidate":
        return redirect("evaluation_portal:candidate", pk=assignment.candidate_id)
    return redirect("evaluation_portal:round", pk=assignment.candidate.round_id)


@staff_only
@require_POST
def round_action(request, pk, action):
    """Small staff actions on a round: default table, candidates (with the R10 queue), team for a candidate."""
    user = request.user
    round_ = selectors.evaluation_round_get_for(user, pk)
    try:
        if action == "table":
            services.table_create_default(actor=user, round_id=round_.pk)
            messages.success(request, _("已按默认模板建立量化考评表（满分100分）。"))
        elif action == "candidates":
            n = services.candidates_sync(actor=user, round_id=round_.pk)
            messages.success(request, _("新增考评对象 %(n)d 个（含复评示范点）。") % {"n": n})
        elif action == "team":
            candidate = get_object_or_404(selectors.candidate_list_for(user).filter(round=round_), pk=request.POST.get("candidate") or 0)
            team = get_object_or_404(selectors.team_list_for(user).filter(round=round_), pk=request.POST["team"]) if request.POST.get("team") else None
            assigned, skipped = services.candidate_assign_team(actor=user, candidate_id=candidate.pk, team_id=team.pk if team else None,
                                                               reason=request.POST.get("reason", ""))
            if team is None:
                messages.success(request, _("已取消%(org)s的考评组分配。") % {"org": candidate.organization.name})
            else:
                messages.success(request, _("已分配 %(n)d 名考评人员。") % {"n": len(assigned)})
            for _member, reason in skipped:
                messages.warning(request, reason)
        elif action == "withdraw_publicity":
            services.publicity_withdraw(actor=user, round_id=round_.pk, reason=request.POST.get("reason", ""))
            messages.success(request, _("公示已撤回，轮次回到考评阶段。"))
        elif action == "evaluating":
            site_services.round_set_status(actor=user, round_id=round_.pk, status=RoundStatus.EVALUATING)
            messages.success(request, _("轮次已进入考评阶段。"))
        else:
            raise Http404()
    except DomainError as error:
        domain_message(request, error)
    return redirect("evaluation_portal:round", pk=round_.pk)


@staff_only
def democratic_edit(request, pk):
    candidate = selectors.candidate_get_for(request.user, pk)
    existing = getattr(candidate, "democratic", None) if hasattr(candidate, "democratic") else None
    initial = {k: getattr(existing, k) for k in ("held_on", "satisfied", "basically_satisfied", "dissatisfied", "note")} if existing else {}
    return form_page(request, DemocraticForm(request.POST or None, initial=initial),
                     lambda data: services.democratic_record(actor=request.user, candidate_id=candidate.pk, **data),
                     success=_("民主测评结果已记录。"), back=reverse("evaluation_portal:round", args=[candidate.round_id]),
                     title=_("民主测评：%(org)s") % {"org": candidate.organization.name}, error_status=200)


@login_required
def candidate_detail(request, pk):
    """A candidate's scores beside its inspection record and satisfaction rate (R6, R20).
    Staff always; a county office for its own units once the publicity has opened."""
    user = request.user
    candidate = selectors.candidate_results_get_for(user, pk)
    staff = user.has_perm("evaluation.view_ranking")
    return render_page(request, "evaluation/portal/candidate.html", {
        "candidate": candidate, "aggregate": selectors.candidate_aggregate(candidate),
        "democratic": getattr(candidate, "democratic", None) if hasattr(candidate, "democratic") else None,
        "inspections": candidate.organization.inspections.all()[:30],
        "disclosure": selectors.disclosure_records([candidate.organization_id])[candidate.organization_id],
        "panel": selectors.panel_scorecards_for(user, candidate) if staff else [],
        "assignments": candidate.assignments.select_related("evaluator", "scorecard") if staff else [],
        "staff": staff, "reopen_form": ReasonForm(),
        # The service reopens scorecards only while the round is being evaluated.
        "can_reopen": user.has_perm("evaluation.manage") and candidate.round.status == RoundStatus.EVALUATING,
        "can_withdraw": user.has_perm("evaluation.manage") and candidate.round.status in (RoundStatus.CLOSED, RoundStatus.EVALUATING),
    })


@staff_only
@require_POST
def scorecard_reopen(request, pk):
    scorecard = selectors.scorecard_get_for(request.user, pk)
    run_form(request, ReasonForm(request.POST),
             lambda data: services.scorecard_reopen(actor=request.user, scorecard_id=scorecard.pk, reason=data["reason"]),
             success=_("评分表已退回给考评人员。"), invalid=_("退回评分表必须填写理由。"))
    return redirect("evaluation_portal:candidate", pk=scorecard.assignment.candidate_id)


# --- ranking, calibration and the preliminary list ---------------------------------------------
@ranking_readers
def ranking(request, pk):
    round_ = selectors.evaluation_round_get_for(request.user, pk)
    groups = selectors.ranking(round_)
    for group in groups:
        for row in group["new"] + group["reevaluation"]:
            row["strip"] = charts.score_strip(row["agg"], round_.pass_mark)
    return render_page(request, "evaluation/portal/ranking.html", {
        "round": round_, "groups": groups, "trim_from": settings.EVALUATION_TRIM_FROM,
        "can_manage": request.user.has_perm("evaluation.manage") and round_.status == RoundStatus.EVALUATING,
    })


@ranking_readers
def calibration(request, pk):
    round_ = selectors.evaluation_round_get_for(request.user, pk)
    people = selectors.calibration(round_)
    return render_page(request, "evaluation/portal/calibration.html", {"round": round_, "people": people, "chart": charts.calibration_chart(people)})


@staff_only
@require_POST
def shortlist(request, pk, action):
    round_ = selectors.evaluation_round_get_for(request.user, pk)
    application_id = request.POST.get("application")
    get_object_or_404(round_.applications, pk=application_id)
    try:
        if action == "add":
            services.shortlist_add(actor=request.user, application_id=application_id)
            messages.success(request, _("已列入初选名单。"))
        elif action == "remove":
            services.shortlist_remove(actor=request.user, application_id=application_id, reason=request.POST.get("reason") or _("调整初选名单"))
            messages.success(request, _("已移出初选名单。"))
        else:
            raise Http404()
    except DomainError as error:
        domain_message(request, error)
    return redirect("evaluation_portal:ranking", pk=round_.pk)


@perm_or_404("evaluation.record_deliberation")
def deliberation(request, pk):
    """R7: record the leading group's meeting on the current list."""
    round_ = selectors.evaluation_round_get_for(request.user, pk)
    return form_page(request, DeliberationForm(request.POST or None, request.FILES or None),
                     lambda data: services.deliberation_record(actor=request.user, round_id=round_.pk, **data),
                     success=_("领导小组审议结果已记录。"), back=reverse("evaluation_portal:round", args=[round_.pk]),
                     title=_("领导小组审议初选名单"), listed=listed(round_), multipart=True)


@staff_only
def publicity_open(request, pk):
    """R8: open the online publicity of the deliberated list."""
    round_ = selectors.evaluation_round_get_for(request.user, pk)
    return form_page(request, PublicityForm(request.POST or None),
                     lambda data: services.publicity_open(actor=request.user, round_id=round_.pk, **data),
                     success=_("公示已发布。"), back=reverse("evaluation_portal:round", args=[round_.pk]),
                     title=_("发布公示"), listed=listed(round_))


@ranking_readers
def export(request, pk, kind):
    round_ = selectors.evaluation_round_get_for(request.user, pk)
    builders = {"ranking": (exports.ranking_workbook, _("排名")), "shortlist": (exports.shortlist_workbook, _("初选名单")),
                "roster": (exports.roster_workbook, _("授牌名册"))}
    if kind not in builders:
        raise Http404()
    builder, label = builders[kind]
    return exports.respond(builder(round_), f"{round_.name}-{label}.xlsx")


# --- a county office's results, inspections ------------------------------------------------------
@perm_or_404("evaluation.view_county_results")
def county_results(request):
    """A county office's candidates once their round's publicity has opened (as the API), with each
    one's panel score and a link to its results page. Out of scope for everyone else (404)."""
    candidates = list(selectors.candidate_results_list_for(request.user).select_related("democratic").order_by(
        "-round__year", "round_id", "kind", "organization__name"))
    aggregates = selectors.candidate_aggregates(c.pk for c in candidates)
    rounds = {}
    for candidate in candidates:
        candidate.aggregate = aggregates.get(candidate.pk)
        candidate.strip = charts.score_strip(candidate.aggregate, candidate.round.pass_mark)
        rounds.setdefault(candidate.round_id, {"round": candidate.round, "candidates": []})["candidates"].append(candidate)
    return render_page(request, "evaluation/portal/county_results.html", {"rounds": list(rounds.values())})


@perm_or_404("evaluation.view_inspections")
def inspections(request):
    """R20: the office's and county offices' inspections (scoped), and a form to record one."""
    user = request.user
    qs = selectors.inspection_list_for(user).order_by("-inspected_on", "-id")
    may_record = user.has_perm("evaluation.record_inspection")
    form = InspectionForm(request.POST or None, organizations=organization_list_for(user).order_by("name")) if may_record else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.inspection_record(actor=user, organization_id=data["organization"].pk, kind=data["kind"], inspected_on=data["inspected_on"],
                                       findings=data["findings"], rating=data["rating"], inspectors=data["inspectors"],
                                       rectification_due=data["rectification_due"])
            messages.success(request, _("检查记录已保存。"))
            return redirect("evaluation_portal:inspections")
        except DomainError as error:
            add_domain_error(form, error)
    return render_page(request, "evaluation/portal/inspections.html", {"inspections": qs[:200], "form": form},
                       status=400 if form is not None and form.errors else 200)
