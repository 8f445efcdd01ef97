"""Portal pages of evaluation (/portal/evaluation/): evaluators score; staff rank, list, publish and award.

Thin views: reads start from the scoped selectors, writes go through evaluation.services.
Out-of-scope objects answer 404 (never 403). State changes are POST-only and CSRF-protected.
"""
import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qujing_disclosure.core.access import is_county, is_evaluator, sees_everything
from qujing_disclosure.core.errors import DomainError
from qujing_disclosure.core.portal import portal_menu
from sites.enums import ApplicationState, RoundStatus
from sites.models import ApplicationMaterial, Round

from .. import charts, selectors, services
from ..enums import ASSIGNMENT_ACTIVE_STATES, OBJECTION_OPEN_STATES, AssignmentState, CandidateKind, ScorecardState
from ..forms import (
    AwardForm,
    DeclarationForm,
    DeliberationForm,
    DemocraticForm,
    EvidenceForm,
    ImportForm,
    InvestigateForm,
    ObjectionAnswerForm,
    PublicityForm,
    ReasonForm,
    RevokeForm,
    ScorecardForm,
    SubsidyForm,
    add_domain_error,
)
from ..models import Assignment, Candidate, Deliberation, EvaluationTable, Publicity, Scorecard, SubsidyPayment, Team


def _render(request, template, context, status=200):
    return render(request, template, {**context, "portal_menu": portal_menu(request)}, status=status)


def _perm_or_404(perm):
    """The view exists only for users with `perm` (others get 404, as if it did not exist)."""

    def decorator(view):
        @functools.wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise Http404()
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


staff_only = _perm_or_404("evaluation.manage")
ranking_readers = _perm_or_404("evaluation.view_ranking")


def _domain_message(request, error):
    messages.error(request, str(error.message))


# --- evaluator -----------------------------------------------------------------------------
@login_required
def tasks(request):
    """An evaluator's own candidates, with the state of each scorecard."""
    if not request.user.has_perm("evaluation.evaluate"):
        raise Http404()
    assignments = list(selectors.assignment_list_for(request.user).filter(evaluator=request.user)
                       .order_by("candidate__round__status", "candidate__jurisdiction__sort_order", "candidate__organization__name"))
    done = sum(1 for a in assignments if getattr(a, "scorecard", None) and a.scorecard.state == ScorecardState.SUBMITTED)
    return _render(request, "evaluation/portal/tasks.html", {"assignments": assignments, "done": done, "total": len(assignments)})


@login_required
def assignment_detail(request, pk):
    """Declare (R5), read the materials, score (R4) and submit; after submission see the panel."""
    assignment = get_object_or_404(selectors.assignment_list_for(request.user).filter(evaluator=request.user), pk=pk)
    candidate = assignment.candidate
    context = {"assignment": assignment, "candidate": candidate}
    if assignment.state == AssignmentState.PENDING:
        context["declaration_form"] = DeclarationForm()
        return _render(request, "evaluation/portal/assignment.html", context)
    if assignment.state == AssignmentState.CONFLICTED:
        raise Http404()
    table = EvaluationTable.objects.filter(round_id=candidate.round_id).first()
    criteria = list(table.criteria.all()) if table else []
    scorecard = Scorecard.objects.filter(assignment=assignment).prefetch_related("scores", "evidence").first()
    scores = {s.criterion_id: s for s in scorecard.scores.all()} if scorecard else {}
    democratic = getattr(candidate, "democratic", None) if hasattr(candidate, "democratic") else None
    # R19: the satisfaction rate feeds the table as rate × the criterion's maximum (the same in the API and the sheet).
    suggestions = selectors.suggested_points(candidate, criteria)
    suggestion = next(iter(suggestions.values()), None)
    locked = scorecard is not None and scorecard.state == ScorecardState.SUBMITTED
    form = ScorecardForm(criteria=criteria, scores=scores, suggestions=suggestions)
    if request.method == "POST" and not locked:
        form = ScorecardForm(request.POST, criteria=criteria, scores=scores, suggestions=suggestions)
        if form.is_valid():
            try:
                services.scorecard_save(actor=request.user, assignment_id=assignment.pk, scores=form.score_map())
                if "submit" in request.POST:
                    services.scorecard_submit(actor=request.user, assignment_id=assignment.pk)
                    messages.success(request, _("评分已提交并锁定。"))
                else:
                    messages.success(request, _("评分已保存（尚未提交）。"))
                return redirect("evaluation_portal:assignment", pk=assignment.pk)
            except DomainError as error:
                add_domain_error(form, error)
    context.update({
        "table": table, "form": form, "scorecard": scorecard, "locked": locked, "scores": scores,
        "materials": ApplicationMaterial.objects.filter(application_id=candidate.application_id) if candidate.application_id else [],
        "inspections": candidate.organization.inspections.all()[:20], "democratic": democratic, "suggestion": suggestion,
        "panel": selectors.panel_scorecards_for(request.user, candidate) if locked else [],
        "evidence_form": EvidenceForm(),
    })
    if locked:
        context["aggregate"] = selectors.candidate_aggregate(candidate)
    return _render(request, "evaluation/portal/assignment.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def assignment_declare(request, pk):
    assignment = get_object_or_404(selectors.assignment_list_for(request.user).filter(evaluator=request.user), pk=pk)
    form = DeclarationForm(request.POST)
    if form.is_valid():
        try:
            services.assignment_declare(actor=request.user, assignment_id=assignment.pk,
                                        conflict=form.cleaned_data["conflict"], note=form.cleaned_data["note"])
        except DomainError as error:
            _domain_message(request, error)
            return redirect("evaluation_portal:assignment", pk=assignment.pk)
        if form.cleaned_data["conflict"]:
            messages.success(request, _("已登记回避，该单位不再分配给您。"))
            return redirect("evaluation_portal:tasks")
        messages.success(request, _("已声明无利益冲突，现在可以查看材料并评分。"))
    else:
        messages.error(request, _("请选择声明内容。"))
    return redirect("evaluation_portal:assignment", pk=assignment.pk)


@login_required
@require_POST
def assignment_evidence(request, pk):
    assignment = get_object_or_404(selectors.assignment_list_for(request.user).filter(evaluator=request.user), pk=pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_add(actor=request.user, assignment_id=assignment.pk, uploaded_file=form.cleaned_data["file"], title=form.cleaned_data["title"])
            messages.success(request, _("佐证材料已上传。"))
        except DomainError as error:
            _domain_message(request, error)
    else:
        messages.error(request, _("请选择要上传的文件。"))
    return redirect("evaluation_portal:assignment", pk=assignment.pk)


# --- staff: the round's evaluation ----------------------------------------------------------
def _round_for_staff(pk):
    return get_object_or_404(Round.objects.select_related("organizer"), pk=pk)


@ranking_readers
def round_list(request):
    rounds = Round.objects.exclude(status=RoundStatus.DRAFT).annotate(
        n_candidates=Count("candidates", distinct=True)).order_by("-year", "level", "-id")
    return _render(request, "evaluation/portal/round_list.html", {"rounds": rounds})


@ranking_readers
def round_detail(request, pk):
    """Staff overview: table, teams, candidates and their assignment progress."""
    round_ = _round_for_staff(pk)
    table = EvaluationTable.objects.filter(round=round_).prefetch_related("criteria").first()
    teams = Team.objects.filter(round=round_).prefetch_related("members").select_related("leader")
    active = Q(assignments__state__in=ASSIGNMENT_ACTIVE_STATES)
    candidates = (Candidate.objects.filter(round=round_).select_related("organization", "jurisdiction", "team", "democratic")
                  .annotate(n_assigned=Count("assignments", filter=active, distinct=True),
                            n_submitted=Count("assignments", filter=active & Q(assignments__scorecard__state=ScorecardState.SUBMITTED), distinct=True))
                  .prefetch_related(Prefetch("assignments", to_attr="panel", queryset=Assignment.objects.select_related("evaluator", "scorecard")
                                             .order_by("evaluator__username")))
                  .order_by("kind", "jurisdiction__sort_order", "organization__name"))
    return _render(request, "evaluation/portal/round_detail.html", {
        "round": round_, "table": table, "teams": teams, "candidates": candidates,
        "deliberations": Deliberation.objects.filter(round=round_)[:5],
        "publicities": Publicity.objects.filter(round=round_),
        "can_manage": request.user.has_perm("evaluation.manage"),
        "can_assign": request.user.has_perm("evaluation.manage") and round_.status in (RoundStatus.CLOSED, RoundStatus.EVALUATING),
        "withdraw_form": ReasonForm(),
    })


@staff_only
@require_POST
def assignment_withdraw(request, pk):
    """Staff take an evaluator off a candidate (recorded with the reason, never deleted)."""
    assignment = get_object_or_404(Assignment.objects.select_related("candidate", "evaluator"), pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.assignment_withdraw(actor=request.user, assignment_id=assignment.pk, reason=form.cleaned_data["reason"])
            messages.success(request, _("已撤回%(user)s对%(org)s的考评分工。") % {"user": assignment.evaluator, "org": assignment.candidate.organization.name})
        except DomainError as error:
            _domain_message(request, error)
    else:
        messages.error(request, _("撤回考评分工必须填写理由。"))
    if request.POST.get("back") == "candidate":
        return redirect("evaluation_portal:candidate", pk=assignment.candidate_id)
    return redirect("evaluation_portal:round", pk=assignment.candidate.round_id)


@staff_only
@require_POST
def round_action(request, pk, action):
    """Small staff actions on a round: default table, candidates (with the R10 queue), team for a candidate."""
    round_ = _round_for_staff(pk)
    try:
        if action == "table":
            services.table_create_default(actor=request.user, round_id=round_.pk)
            messages.success(request, _("已按默认模板建立量化考评表（满分100分）。"))
        elif action == "candidates":
            n = services.candidates_sync(actor=request.user, round_id=round_.pk)
            messages.success(request, _("新增考评对象 %(n)d 个（含复评示范点）。") % {"n": n})
        elif action == "team":
            candidate = get_object_or_404(Candidate, pk=request.POST.get("candidate") or 0, round=round_)
            team = get_object_or_404(Team, pk=request.POST["team"], round=round_) if request.POST.get("team") else None
            assigned, skipped = services.candidate_assign_team(actor=request.user, candidate_id=candidate.pk, team_id=team.pk if team else None,
                                                               reason=request.POST.get("reason", ""))
            if team is None:
                messages.success(request, _("已取消%(org)s的考评组分配。") % {"org": candidate.organization.name})
            else:
                messages.success(request, _("已分配 %(n)d 名考评人员。") % {"n": len(assigned)})
            for _member, reason in skipped:
                messages.warning(request, reason)
        elif action == "withdraw_publicity":
            services.publicity_withdraw(actor=request.user, round_id=round_.pk, reason=request.POST.get("reason", ""))
            messages.success(request, _("公示已撤回，轮次回到考评阶段。"))
        elif action == "evaluating":
            from sites.services import round_set_status

            round_set_status(actor=request.user, round_id=round_.pk, status=RoundStatus.EVALUATING)
            messages.success(request, _("轮次已进入考评阶段。"))
        else:
            raise Http404()
    except DomainError as error:
        _domain_message(request, error)
    return redirect("evaluation_portal:round", pk=round_.pk)


@staff_only
def democratic_edit(request, pk):
    candidate = get_object_or_404(Candidate.objects.select_related("round", "organization"), pk=pk)
    existing = getattr(candidate, "democratic", None) if hasattr(candidate, "democratic") else None
    initial = {k: getattr(existing, k) for k in ("held_on", "satisfied", "basically_satisfied", "dissatisfied", "note")} if existing else {}
    form = DemocraticForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.democratic_record(actor=request.user, candidate_id=candidate.pk, **form.cleaned_data)
            messages.success(request, _("民主测评结果已记录。"))
            return redirect("evaluation_portal:round", pk=candidate.round_id)
        except DomainError as error:
            add_domain_error(form, error)
    return _render(request, "evaluation/portal/form_page.html", {
        "title": _("民主测评：%(org)s") % {"org": candidate.organization.name}, "form": form, "back": reverse("evaluation_portal:round", args=[candidate.round_id])})


@login_required
def candidate_detail(request, pk):
    """A candidate's scores beside its inspection record and satisfaction rate (R6, R20).
    Staff always; a county office for its own units once the publicity has opened."""
    if is_evaluator(request.user):
        raise Http404()
    candidate = get_object_or_404(selectors.candidate_list_for(request.user), pk=pk)
    if not request.user.has_perm("evaluation.view_candidate_results", candidate):
        raise Http404()
    staff = sees_everything(request.user)
    return _render(request, "evaluation/portal/candidate.html", {
        "candidate": candidate, "aggregate": selectors.candidate_aggregate(candidate),
        "democratic": getattr(candidate, "democratic", None) if hasattr(candidate, "democratic") else None,
        "inspections": candidate.organization.inspections.all()[:30],
        "disclosure": selectors.disclosure_records([candidate.organization_id])[candidate.organization_id],
        "panel": selectors.panel_scorecards_for(request.user, candidate) if staff else [],
        "assignments": candidate.assignments.select_related("evaluator", "scorecard") if staff else [],
        "staff": staff, "reopen_form": ReasonForm(),
        # The service reopens scorecards only while the round is being evaluated.
        "can_reopen": request.user.has_perm("evaluation.manage") and candidate.round.status == RoundStatus.EVALUATING,
        "can_withdraw": request.user.has_perm("evaluation.manage") and candidate.round.status in (RoundStatus.CLOSED, RoundStatus.EVALUATING),
    })


@staff_only
@require_POST
def scorecard_reopen(request, pk):
    scorecard = get_object_or_404(Scorecard.objects.select_related("assignment"), pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.scorecard_reopen(actor=request.user, scorecard_id=scorecard.pk, reason=form.cleaned_data["reason"])
            messages.success(request, _("评分表已退回给考评人员。"))
        except DomainError as error:
            _domain_message(request, error)
    else:
        messages.error(request, _("退回评分表必须填写理由。"))
    return redirect("evaluation_portal:candidate", pk=scorecard.assignment.candidate_id)


# --- ranking, calibration and the preliminary list ---------------------------------------------
@ranking_readers
def ranking(request, pk):
    round_ = _round_for_staff(pk)
    groups = selectors.ranking(round_)
    for group in groups:
        for row in group["new"] + group["reevaluation"]:
            row["strip"] = charts.score_strip(row["agg"], round_.pass_mark)
    return _render(request, "evaluation/portal/ranking.html", {
        "round": round_, "groups": groups, "trim_from": settings.EVALUATION_TRIM_FROM,
        "can_manage": request.user.has_perm("evaluation.manage") and round_.status == RoundStatus.EVALUATING,
    })


@ranking_readers
def calibration(request, pk):
    round_ = _round_for_staff(pk)
    people = selectors.calibration(round_)
    return _render(request, "evaluation/portal/calibration.html", {"round": round_, "people": people, "chart": charts.calibration_chart(people)})


@staff_only
@require_POST
def shortlist(request, pk, action):
    round_ = _round_for_staff(pk)
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
        _domain_message(request, error)
    return redirect("evaluation_portal:ranking", pk=round_.pk)


@_perm_or_404("evaluation.record_deliberation")
def deliberation(request, pk):
    """R7: record the leading group's meeting on the current list."""
    round_ = _round_for_staff(pk)
    form = DeliberationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.deliberation_record(actor=request.user, round_id=round_.pk, **form.cleaned_data)
            messages.success(request, _("领导小组审议结果已记录。"))
            return redirect("evaluation_portal:round", pk=round_.pk)
        except DomainError as error:
            add_domain_error(form, error)
    listed = round_.applications.filter(state=ApplicationState.SHORTLISTED).select_related("organization", "jurisdiction")
    return _render(request, "evaluation/portal/form_page.html", {
        "title": _("领导小组审议初选名单"), "form": form, "listed": listed, "multipart": True,
        "back": reverse("evaluation_portal:round", args=[round_.pk])}, status=400 if form.errors else 200)


@staff_only
def publicity_open(request, pk):
    """R8: open the online publicity of the deliberated list."""
    round_ = _round_for_staff(pk)
    form = PublicityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.publicity_open(actor=request.user, round_id=round_.pk, **form.cleaned_data)
            messages.success(request, _("公示已发布。"))
            return redirect("evaluation_portal:round", pk=round_.pk)
        except DomainError as error:
            add_domain_error(form, error)
    listed = round_.applications.filter(state=ApplicationState.SHORTLISTED).select_related("organization", "jurisdiction")
    return _render(request, "evaluation/portal/form_page.html", {
        "title": _("发布公示"), "form": form, "listed": listed, "back": reverse("evaluation_portal:round", args=[round_.pk])},
        status=400 if form.errors else 200)


# --- objections -----------------------------------------------------------------------------
@staff_only
def objection_list(request):
    objections = selectors.objections_with_deadlines(selectors.objection_list_for(request.user)[:500])
    return _render(request, "evaluation/portal/objection_list.html", {
        "objections": objections, "open_count": sum(1 for o in objections if o.state in OBJECTION_OPEN_STATES),
        "overdue_count": sum(1 for o in objections if o.overdue)})


@staff_only
def objection_detail(request, pk):
    objection = get_object_or_404(selectors.objection_list_for(request.user), pk=pk)
    [objection] = selectors.objections_with_deadlines([objection])
    answer_form, investigate_form = ObjectionAnswerForm(), InvestigateForm()
    if request.method == "POST":
        try:
            if "investigate" in request.POST:
                investigate_form = InvestigateForm(request.POST)
                if investigate_form.is_valid():
                    services.objection_investigate(actor=request.user, objection_id=objection.pk, note=investigate_form.cleaned_data["note"])
                    messages.success(request, _("已转入调查核实。"))
                    return redirect("evaluation_portal:objection", pk=objection.pk)
            else:
                answer_form = ObjectionAnswerForm(request.POST)
                if answer_form.is_valid():
                    data = answer_form.cleaned_data
                    services.objection_answer(actor=request.user, objection_id=objection.pk, upheld=data["outcome"] == "upheld",
                                              reply=data["reply"], investigation=data["investigation"])
                    messages.success(request, _("已答复。"))
                    return redirect("evaluation_portal:objection", pk=objection.pk)
        except DomainError as error:
            add_domain_error(answer_form, error)
    return _render(request, "evaluation/portal/objection_detail.html", {
        "objection": objection, "answer_form": answer_form, "investigate_form": investigate_form})


# --- award, subsidies, re-evaluation ---------------------------------------------------------
@staff_only
def award(request, pk):
    """R9: award the round (refused while the publicity runs or an objection is unanswered)."""
    round_ = _round_for_staff(pk)
    form = AwardForm(request.POST or None, initial={"awarded_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            designations = services.round_award(actor=request.user, round_id=round_.pk, awarded_on=form.cleaned_data["awarded_on"])
            messages.success(request, _("已授牌 %(n)d 个示范点。") % {"n": len(designations)})
            return redirect("evaluation_portal:round", pk=round_.pk)
        except DomainError as error:
            add_domain_error(form, error)
    listed = round_.applications.filter(state=ApplicationState.SHORTLISTED).select_related("organization", "jurisdiction")
    return _render(request, "evaluation/portal/form_page.html", {
        "title": _("授予“党务公开工作示范点”称号"), "form": form, "listed": listed,
        "back": reverse("evaluation_portal:round", args=[round_.pk])}, status=400 if form.errors else 200)


@staff_only
def subsidy_list(request):
    payments = SubsidyPayment.objects.select_related("designation__organization", "designation__jurisdiction", "designation__round").order_by("state", "designation__plaque_number")
    if request.method == "POST":
        payment = get_object_or_404(SubsidyPayment, pk=request.POST.get("payment"))
        form = SubsidyForm(request.POST)
        if form.is_valid():
            try:
                services.subsidy_advance(actor=request.user, payment_id=payment.pk, state=form.cleaned_data["state"], voucher=form.cleaned_data["voucher"])
                messages.success(request, _("补助经费步骤已记录。"))
            except DomainError as error:
                _domain_message(request, error)
        return redirect("evaluation_portal:subsidies")
    totals = {s: sum(p.amount for p in payments if p.state == s) for s in ("pending", "approved", "paid")}
    return _render(request, "evaluation/portal/subsidies.html", {"payments": payments, "totals": totals})


@staff_only
def reevaluation(request, pk):
    """R10: the round's re-evaluation queue, with retain / revoke."""
    round_ = _round_for_staff(pk)
    rows = [r for group in selectors.ranking(round_) for r in group["reevaluation"]]
    return _render(request, "evaluation/portal/reevaluation.html", {"round": round_, "rows": rows, "revoke_form": RevokeForm(initial={"decided_on": timezone.localdate()})})


@staff_only
@require_POST
def reevaluation_decide(request, pk):
    candidate = get_object_or_404(Candidate.objects.select_related("round"), pk=pk, kind=CandidateKind.REEVALUATION)
    try:
        if "retain" in request.POST:
            services.reevaluation_retain(actor=request.user, candidate_id=candidate.pk)
            messages.success(request, _("复评合格，保留称号。"))
        else:
            form = RevokeForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("请填写撤销理由、决定文号和决定日期。"))
                return redirect("evaluation_portal:reevaluation", pk=candidate.round_id)
            services.designation_revoke_with_decision(actor=request.user, designation_id=candidate.designation_id, candidate_id=candidate.pk, **form.cleaned_data)
            messages.success(request, _("已撤销称号并登记收回牌匾。"))
    except DomainError as error:
        _domain_message(request, error)
    return redirect("evaluation_portal:reevaluation", pk=candidate.round_id)


# --- Excel: exports and the team score-sheet import ---------------------------------------------
@ranking_readers
def export(request, pk, kind):
    from .. import exports

    round_ = _round_for_staff(pk)
    builders = {"ranking": (exports.ranking_workbook, _("排名")), "shortlist": (exports.shortlist_workbook, _("初选名单")),
                "roster": (exports.roster_workbook, _("授牌名册"))}
    if kind not in builders:
        raise Http404()
    builder, label = builders[kind]
    return exports.respond(builder(round_), f"{round_.name}-{label}.xlsx")


def _team_for(request, pk):
    team = get_object_or_404(Team.objects.select_related("round"), pk=pk)
    if not (request.user.has_perm("evaluation.manage") or team.leader_id == request.user.pk):
        raise Http404()
    return team


@login_required
def team_sheet(request, pk):
    from .. import exports

    team = _team_for(request, pk)
    return exports.respond(exports.team_scoresheet_workbook(team, request.user), f"{team.round.name}-{team.name}-{_('评分表')}.xlsx")


@login_required
def team_import(request, pk):
    """Upload a filled-in team score sheet: all of it or nothing, with every problem listed."""
    from ..imports import ImportRejected, scoresheet_import

    team = _team_for(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            n = scoresheet_import(actor=request.user, team_id=team.pk, uploaded_file=form.cleaned_data["file"])
            if n:
                messages.success(request, _("已导入并提交 %(n)d 份评分表。") % {"n": n})
            else:
                messages.info(request, _("表中的评分均已提交，没有需要导入的内容。"))
            if request.user.has_perm("evaluation.manage"):
                return redirect("evaluation_portal:round", pk=team.round_id)
            return redirect("evaluation_portal:teams")
        except ImportRejected as error:
            problems = error.problems
            form.add_error("file", str(error.message))
    return _render(request, "evaluation/portal/import.html", {"team": team, "form": form, "problems": problems},
                   status=400 if form.errors else 200)


@login_required
def assignment_material(request, pk, material_id):
    """R5: an evaluator opens a candidate's application materials only after declaring no conflict
    (the sites media checker serves them to the application's own readers, not to evaluators)."""
    from django.http import FileResponse

    assignment = get_object_or_404(
        selectors.assignment_list_for(request.user).filter(evaluator=request.user, state=AssignmentState.DECLARED), pk=pk)
    material = get_object_or_404(ApplicationMaterial, pk=material_id, application_id=assignment.candidate.application_id)
    return FileResponse(material.file.open("rb"), as_attachment=False, filename=material.file.name.rsplit("/", 1)[-1])


@_perm_or_404("evaluation.view_inspections")
def inspections(request):
    """R20: the office's and county offices' inspections (scoped), and a form to record one."""
    from sites.selectors import organization_list_for

    from ..forms import InspectionForm
    from ..models import Inspection

    user = request.user
    qs = Inspection.objects.select_related("organization", "jurisdiction").order_by("-inspected_on", "-id")
    if not sees_everything(user):
        qs = qs.filter(jurisdiction_id=user.jurisdiction_id)
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
    return _render(request, "evaluation/portal/inspections.html", {"inspections": qs[:200], "form": form},
                   status=400 if form is not None and form.errors else 200)


# --- a county office's results, a team leader's sheets ----------------------------------------
@login_required
def county_results(request):
    """A county office's candidates once their round's publicity has opened (as the API), with each
    one's panel score and a link to its results page. Out of scope for everyone else (404)."""
    if not is_county(request.user):
        raise Http404()
    candidates = list(selectors.candidate_list_for(request.user).select_related("democratic").order_by(
        "-round__year", "round_id", "kind", "organization__name"))
    aggregates = selectors.candidate_aggregates(c.pk for c in candidates)
    rounds = {}
    for candidate in candidates:
        candidate.aggregate = aggregates.get(candidate.pk)
        candidate.strip = charts.score_strip(candidate.aggregate, candidate.round.pass_mark)
        rounds.setdefault(candidate.round_id, {"round": candidate.round, "candidates": []})["candidates"].append(candidate)
    return _render(request, "evaluation/portal/county_results.html", {"rounds": list(rounds.values())})


@login_required
def teams(request):
    """The evaluation teams a user leads (staff: every team of a round still being evaluated), with the
    team's score sheet to download and upload (paper visits)."""
    user = request.user
    qs = Team.objects.select_related("round", "leader").prefetch_related("members").order_by("-round__year", "round_id", "name")
    if user.has_perm("evaluation.manage"):
        qs = qs.filter(round__status__in=[RoundStatus.CLOSED, RoundStatus.EVALUATING])
    elif is_evaluator(user):
        qs = qs.filter(leader=user)
    else:
        raise Http404()
    return _render(request, "evaluation/portal/teams.html", {"teams": qs})
