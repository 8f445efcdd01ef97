"""The office's pages after the list is published: objections (R8), award (R9), subsidies, re-evaluation (R10)."""
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qujing_disclosure.core.clock import today as china_today
from qujing_disclosure.core.errors import DomainError

from ... import selectors, services
from ...enums import OBJECTION_OPEN_STATES
from ...forms import AwardForm, InvestigateForm, ObjectionAnswerForm, RevokeForm, SubsidyForm, add_domain_error
from .common import domain_message, form_page, listed, render_page, run_form, staff_only


@staff_only
def objection_list(request):
    objections = selectors.objections_with_deadlines(selectors.objection_list_for(request.user)[:500])
    return render_page(request, "evaluation/portal/objection_list.html", {
        "objections": objections, "open_count": sum(1 for o in objections if o.state in OBJECTION_OPEN_STATES),
        "overdue_count": sum(1 for o in objections if o.overdue)})


@staff_only
def objection_detail(request, pk):
    [objection] = selectors.objections_with_deadlines([selectors.objection_get_for(request.user, pk)])
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
    return render_page(request, "evaluation/portal/objection_detail.html", {
        "objection": objection, "answer_form": answer_form, "investigate_form": investigate_form})


@staff_only
def award(request, pk):
    """R9: award the round (refused while the publicity runs or an objection is unanswered)."""
    round_ = selectors.evaluation_round_get_for(request.user, pk)
    return form_page(request, AwardForm(request.POST or None, initial={"awarded_on": china_today()}),
                     lambda data: services.round_award(actor=request.user, round_id=round_.pk, awarded_on=data["awarded_on"]),
                     success=lambda designations: _("已授牌 %(n)d 个示范点。") % {"n": len(designations)},
                     back=reverse("evaluation_portal:round", args=[round_.pk]), title=_("授予“党务公开工作示范点”称号"), listed=listed(round_))


@staff_only
def subsidy_list(request):
    payments = selectors.subsidy_list_for(request.user).order_by("state", "designation__plaque_number")
    if request.method == "POST":
        payment = selectors.subsidy_get_for(request.user, request.POST.get("payment"))
        run_form(request, SubsidyForm(request.POST),
                 lambda data: services.subsidy_advance(actor=request.user, payment_id=payment.pk, state=data["state"], voucher=data["voucher"]),
                 success=_("补助经费步骤已记录。"))
        return redirect("evaluation_portal:subsidies")
    totals = {s: sum(p.amount for p in payments if p.state == s) for s in ("pending", "approved", "paid")}
    return render_page(request, "evaluation/portal/subsidies.html", {"payments": payments, "totals": totals})


@staff_only
def reevaluation(request, pk):
    """R10: the round's re-evaluation queue, with retain / revoke."""
    round_ = selectors.evaluation_round_get_for(request.user, pk)
    rows = [r for group in selectors.ranking(round_) for r in group["reevaluation"]]
    return render_page(request, "evaluation/portal/reevaluation.html", {
        "round": round_, "rows": rows, "revoke_form": RevokeForm(initial={"decided_on": china_today()})})


@staff_only
@require_POST
def reevaluation_decide(request, pk):
    candidate = selectors.reevaluation_get_for(request.user, pk)
    try:
        if "retain" in request.POST:
            services.reevaluation_retain(actor=request.user, candidate_id=candidate.pk)
            messages.success(request, _("复评合格，保留称号。"))
        else:
            form = RevokeForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("请填写撤销理由、决定文号和决定日期。"))
                return redirect("evaluation_portal:reevaluation", pk=candidate.round_id)
            services.designation_revoke_with_decision(actor=request.user, designation_id=candidate.designation_id, candidate_id=candidate.pk,
                                                      **form.cleaned_data)
            messages.success(request, _("已撤销称号并登记收回牌匾。"))
    except DomainError as error:
        domain_message(request, error)
    return redirect("evaluation_portal:reevaluation", pk=candidate.round_id)
