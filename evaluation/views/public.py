"""Public pages (R8, R8a): the current publicity with the objection form, the answer by receipt code,
and the good-practice case stories.

Anyone may read them. The form is protected by a rate limit per client address and a honeypot;
everything is escaped by the templates; the objector's contact details never appear here.
A successful objection answers with a redirect to its receipt page (Post/Redirect/Get), so a reload
does not object twice.
"""
import re

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from qujing_disclosure.core.caching import cache_public_page
from qujing_disclosure.core.errors import DomainError

from .. import selectors, services
from ..enums import StoryStatus
from ..forms import ObjectionForm, ObjectionLookupForm, add_domain_error

# What a receipt code can look like (models.new_receipt_code: 10 of an unambiguous alphabet); anything
# else — a slash, a space, a script — is simply not found, before it reaches a URL or the database.
RECEIPT_CODE = re.compile(r"^[A-Za-z0-9]{4,12}$")


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
                return redirect(reverse("evaluation_public:objection_thanks"))
            data = form.cleaned_data
            try:
                objection = services.objection_create(publicity_id=target.pk, entry_id=data["entry"], content=data["content"],
                                                      objector_name=data["objector_name"], objector_contact=data["objector_contact"])
                # Post/Redirect/Get: the receipt is shown by its code, a reload reads it again.
                return redirect(reverse("evaluation_public:objection", args=[objection.code]) + "?" + urlencode({"new": 1}))
            except DomainError as error:
                add_domain_error(form, error)
                status = 400
        else:
            status = 400
    return render(request, "evaluation/public/publicity.html", {
        "publicities": [(p, forms_by_id[p.pk]) for p in publicities], "lookup_form": ObjectionLookupForm(),
        "min_days": settings.PUBLICITY_MIN_DAYS,
    }, status=status)


def _not_found(request, code):
    return render(request, "evaluation/public/objection_not_found.html", {"code": code, "lookup_form": ObjectionLookupForm()}, status=404)


def objection_lookup(request):
    form = ObjectionLookupForm(request.GET or None)
    if not form.is_valid():
        return redirect(reverse("evaluation_public:publicity") + "#lookup")
    code = form.cleaned_data["code"].strip().upper()
    if not RECEIPT_CODE.match(code):
        return _not_found(request, code)
    return redirect("evaluation_public:objection", code=code)


def objection_thanks(request):
    """What a robot filling the honeypot is shown: thanks, and nothing stored."""
    return render(request, "evaluation/public/objection_received.html", {"objection": None})


@never_cache
def objection(request, code):
    """The receipt page: state and the answer; never the objector's contact details.
    Right after submitting (?new=1) it leads with the receipt code to write down."""
    if not RECEIPT_CODE.match(code or ""):
        return _not_found(request, code)
    try:
        item = selectors.objection_by_code(code)
    except Http404:
        return _not_found(request, code)
    return render(request, "evaluation/public/objection.html", {"objection": item, "new": request.GET.get("new") == "1"})


@cache_public_page("sites")
def story(request, pk):
    """R8a: one published case story in full (the home and site pages show an excerpt)."""
    item = get_object_or_404(selectors.story_list_for(None).filter(status=StoryStatus.PUBLISHED), pk=pk)
    return render(request, "evaluation/public/story.html", {"story": item})
