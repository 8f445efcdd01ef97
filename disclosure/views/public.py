"""Public disclosure pages: an organisation's catalogue and external items on display (never internal
ones, R13: selectors.public holds the one "on public display" rule), feedback with receipt codes (R18)
and satisfaction ratings (R19).

The two forms are rate-limited per client address (django-ratelimit, block=False with a Chinese
message) and carry a honeypot field; everything shown is escaped by the templates."""
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from qujing_disclosure.core.errors import DomainError
from sites.selectors import jurisdiction_list_for

from .. import selectors, services
from ..forms import FeedbackLookupForm, PublicFeedbackForm, RatingForm, add_domain_error


def _feedback_rate(group, request):
    return settings.DISCLOSURE_FEEDBACK_RATELIMIT


def _rating_rate(group, request):
    return settings.DISCLOSURE_RATING_RATELIMIT


def organization_index(request):
    """Find an organisation's disclosure page: by jurisdiction and name, with items on display counted."""
    organizations = selectors.organization_list_public()
    jurisdiction = request.GET.get("jurisdiction", "")
    if jurisdiction.isdigit():
        organizations = organizations.filter(jurisdiction_id=int(jurisdiction))
    q = request.GET.get("q", "").strip()[:60]
    if q:
        organizations = organizations.filter(name__icontains=q)
    page = Paginator(organizations.order_by("jurisdiction__sort_order", "name"), 30).get_page(request.GET.get("page"))
    return render(request, "disclosure/public/index.html", {
        "page": page, "jurisdictions": jurisdiction_list_for(request.user).order_by("sort_order", "id"),
        "jurisdiction": jurisdiction, "q": q,
    })


def _page(request, organization_id, *, feedback_form=None, rating_form=None, status=200):
    data = selectors.public_page(organization_id, page=request.GET.get("page"))
    item_id = request.GET.get("item", "")
    return render(request, "disclosure/public/organization.html", {
        **data,
        "feedback_form": feedback_form or PublicFeedbackForm(initial={"item": item_id if item_id.isdigit() else None}),
        "rating_form": rating_form or RatingForm(),
    }, status=status)


def organization_page(request, pk):
    return _page(request, pk)


@require_POST
@ratelimit(key="ip", rate=_feedback_rate, method="POST", block=False, group="disclosure.feedback")
def feedback_create(request, pk):
    form = PublicFeedbackForm(request.POST)
    if getattr(request, "limited", False):
        form.is_valid()
        form.add_error(None, _("提交过于频繁，请稍后再试。"))
        return _page(request, pk, feedback_form=form, status=429)
    if form.is_bot():
        # A honeypot hit: answer as if nothing happened, store nothing.
        return redirect("disclosure_public:organization", pk=pk)
    if form.is_valid():
        d = form.cleaned_data
        try:
            feedback = services.feedback_submit(organization_id=pk, item_id=d["item"], content=d["content"],
                                                name=d["name"], contact=d["contact"])
        except DomainError as exc:
            if exc.field == "item":
                # R18: the item has left display. Keep what the visitor typed and let the next submit go to
                # the organisation itself (the hidden item reference is dropped), with the reason shown.
                data = request.POST.copy()
                data["item"] = ""
                form = PublicFeedbackForm(data)
                form.is_valid()
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已收到您的意见建议。请记下回执码，凭码查看答复。"))
            return redirect("disclosure_public:feedback", code=feedback.code)
    return _page(request, pk, feedback_form=form, status=400)


@require_POST
@ratelimit(key="ip", rate=_rating_rate, method="POST", block=False, group="disclosure.rating")
def rating_create(request, pk):
    form = RatingForm(request.POST)
    if getattr(request, "limited", False):
        form.is_valid()
        form.add_error(None, _("提交过于频繁，请稍后再试。"))
        return _page(request, pk, rating_form=form, status=429)
    if form.is_bot():
        return redirect("disclosure_public:organization", pk=pk)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.rating_submit(organization_id=pk, phone=d["phone"], rating=d["rating"], comment=d["comment"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("感谢您的评价！"))
            return redirect("disclosure_public:organization", pk=pk)
    return _page(request, pk, rating_form=form, status=400)


def feedback_lookup(request):
    form = FeedbackLookupForm(request.GET or None)
    if form.is_valid():
        return redirect("disclosure_public:feedback", code=form.cleaned_data["code"].strip().upper())
    return render(request, "disclosure/public/feedback_lookup.html", {"form": form})


def feedback_detail(request, code):
    """R18: the writer reads the state and the answer by receipt code (the code is the only key)."""
    feedback = selectors.feedback_by_code(code)
    return render(request, "disclosure/public/feedback.html", {"feedback": feedback})
