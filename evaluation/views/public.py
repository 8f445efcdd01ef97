"""Public pages (R8): the current publicity with the objection form, and the answer by receipt code.

Anyone may read them. The form is protected by a rate limit per client address and a honeypot;
everything is escaped by the templates; the objector's contact details never appear here.
"""
from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from qujing_disclosure.core.errors import DomainError

from .. import selectors, services
from ..forms import ObjectionForm, ObjectionLookupForm, add_domain_error


def _objection_rate(group, request):
    return settings.OBJECTION_RATELIMIT


@never_cache
@ratelimit(key="ip", rate=_objection_rate, method="POST", block=False)
def publicity(request):
    """The running publicities with each unit's name, jurisdiction, level and score, and the form."""
    publicities = list(selectors.publicity_current())
    forms_by_id = {p.pk: ObjectionForm(entries=p.entries.all(), prefix=f"p{p.pk}") for p in publicities}
    status = 200
    if request.method == "POST":
        target = next((p for p in publicities if str(p.pk) == request.POST.get("publicity")), None)
        if target is None:
            return redirect("evaluation_public:publicity")
        form = ObjectionForm(request.POST, entries=target.entries.all(), prefix=f"p{target.pk}")
        forms_by_id[target.pk] = form
        if getattr(request, "limited", False):
            form.add_error(None, _("提交过于频繁，请稍后再试（每个网络地址每小时最多提交 %(rate)s 次）。") % {"rate": settings.OBJECTION_RATELIMIT.split("/")[0]})
            status = 429
        elif form.is_valid():
            if form.cleaned_data["website"]:
                # Honeypot filled: a robot. Answer as if accepted, store nothing.
                return render(request, "evaluation/public/objection_received.html", {"objection": None}, status=200)
            data = form.cleaned_data
            try:
                objection = services.objection_create(publicity_id=target.pk, entry_id=data["entry"], content=data["content"],
                                                      objector_name=data["objector_name"], objector_contact=data["objector_contact"])
                return render(request, "evaluation/public/objection_received.html", {"objection": objection}, status=201)
            except DomainError as error:
                add_domain_error(form, error)
                status = 400
        else:
            status = 400
    return render(request, "evaluation/public/publicity.html", {
        "publicities": [(p, forms_by_id[p.pk]) for p in publicities], "lookup_form": ObjectionLookupForm(),
        "min_days": settings.PUBLICITY_MIN_DAYS,
    }, status=status)


def objection_lookup(request):
    form = ObjectionLookupForm(request.GET or None)
    if form.is_valid():
        return redirect("evaluation_public:objection", code=form.cleaned_data["code"].strip().upper())
    return redirect(reverse("evaluation_public:publicity") + "#lookup")


@never_cache
def objection(request, code):
    """The receipt page: state and the answer; never the objector's contact details."""
    item = selectors.objection_by_code(code)
    return render(request, "evaluation/public/objection.html", {"objection": item})
