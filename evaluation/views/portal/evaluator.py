"""The evaluator's pages: their tasks, declaring (R5), scoring (R4) with evidence and materials, and a
team leader's paper score sheet (download and all-or-nothing upload)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qujing_disclosure.core.errors import DomainError
from sites.enums import RoundStatus
from sites.models import ApplicationMaterial

from ... import exports, selectors, services
from ...enums import AssignmentState, ScorecardState
from ...forms import DeclarationForm, EvidenceForm, ImportForm, ScorecardForm, add_domain_error
from ...imports import ImportRejected, scoresheet_import
from ...models import Scorecard
from .common import domain_message, perm_or_404, render_page, run_form


@perm_or_404("evaluation.evaluate")
def tasks(request):
    """An evaluator's own candidates, with the state of each scorecard."""
    assignments = list(selectors.assignment_list_for(request.user, own=True)
                       .order_by("candidate__round__status", "candidate__jurisdiction__sort_order", "candidate__organization__name"))
    done = sum(1 for a in assignments if getattr(a, "scorecard", None) and a.scorecard.state == ScorecardState.SUBMITTED)
    return render_page(request, "evaluation/portal/tasks.html", {"assignments": assignments, "done": done, "total": len(assignments)})


@login_required
def assignment_detail(request, pk):
    """Declare (R5), read the materials, score (R4) and submit; after submission see the panel."""
    assignment = selectors.assignment_get_for(request.user, pk, own=True)
    candidate = assignment.candidate
    context = {"assignment": assignment, "candidate": candidate}
    if assignment.state == AssignmentState.PENDING:
        context["declaration_form"] = DeclarationForm()
        return render_page(request, "evaluation/portal/assignment.html", context)
    if assignment.state == AssignmentState.CONFLICTED:
        raise Http404()  # a declared conflict: the candidate is no longer theirs (R5)
    table = selectors.table_list_for(request.user).filter(round_id=candidate.round_id).first()
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
    return render_page(request, "evaluation/portal/assignment.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def assignment_declare(request, pk):
    assignment = selectors.assignment_get_for(request.user, pk, own=True)
    form = DeclarationForm(request.POST)
    if form.is_valid():
        try:
            services.assignment_declare(actor=request.user, assignment_id=assignment.pk,
                                        conflict=form.cleaned_data["conflict"], note=form.cleaned_data["note"])
        except DomainError as error:
            domain_message(request, error)
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
    assignment = selectors.assignment_get_for(request.user, pk, own=True)
    run_form(request, EvidenceForm(request.POST, request.FILES),
             lambda data: services.evidence_add(actor=request.user, assignment_id=assignment.pk, uploaded_file=data["file"], title=data["title"]),
             success=_("佐证材料已上传。"), invalid=_("请选择要上传的文件。"))
    return redirect("evaluation_portal:assignment", pk=assignment.pk)


@login_required
def assignment_material(request, pk, material_id):
    """R5: an evaluator opens a candidate's application materials only after declaring no conflict
    (the sites media checker serves them to the application's own readers, not to evaluators)."""
    material = selectors.assignment_material_get_for(request.user, pk, material_id)
    return FileResponse(material.file.open("rb"), as_attachment=False, filename=material.file.name.rsplit("/", 1)[-1])


# --- a team's paper score sheet ----------------------------------------------------------------
def _sheet_team_for(request, pk):
    """A team whose score sheet the user handles (the office, the team's leader), else 404."""
    team = selectors.team_get_for(request.user, pk)
    if not request.user.has_perm("evaluation.handle_scoresheet", team):
        raise Http404()
    return team


@perm_or_404("evaluation.evaluate")
def teams(request):
    """The evaluation teams whose sheets a user handles — the teams they lead (the office: every team of a
    round still being evaluated) — with the team's score sheet to download and upload (paper visits)."""
    user = request.user
    qs = selectors.team_list_for(user).order_by("-round__year", "round_id", "name")
    if user.has_perm("evaluation.manage"):
        qs = qs.filter(round__status__in=[RoundStatus.CLOSED, RoundStatus.EVALUATING])
    return render_page(request, "evaluation/portal/teams.html",
                       {"teams": [team for team in qs if user.has_perm("evaluation.handle_scoresheet", team)]})


@login_required
def team_sheet(request, pk):
    team = _sheet_team_for(request, pk)
    return exports.respond(exports.team_scoresheet_workbook(team, request.user), f"{team.round.name}-{team.name}-{_('评分表')}.xlsx")


@login_required
def team_import(request, pk):
    """Upload a filled-in team score sheet: all of it or nothing, with every problem listed."""
    team = _sheet_team_for(request, pk)
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
    return render_page(request, "evaluation/portal/import.html", {"team": team, "form": form, "problems": problems},
                       status=400 if form.errors else 200)
