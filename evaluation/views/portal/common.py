"""What the portal pages of evaluation share: the menu, the 404-unless-permitted decorator, messages."""
import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from qujing_disclosure.core.errors import DomainError
from qujing_disclosure.core.portal import portal_menu
from sites.enums import ApplicationState

from ...forms import add_domain_error


def render_page(request, template, context, status=200):
    return render(request, template, {**context, "portal_menu": portal_menu(request)}, status=status)


def perm_or_404(perm):
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


staff_only = perm_or_404("evaluation.manage")
ranking_readers = perm_or_404("evaluation.view_ranking")


def domain_message(request, error):
    messages.error(request, str(error.message))


def run_form(request, form, action, *, success, invalid=None):
    """A small POST form that calls one service: when the form is valid, `action(cleaned_data)` and the
    `success` message; a service's refusal becomes the error message, an invalid form `invalid`.
    True when the service ran."""
    if not form.is_valid():
        if invalid:
            messages.error(request, invalid)
        return False
    try:
        action(form.cleaned_data)
    except DomainError as error:
        domain_message(request, error)
        return False
    messages.success(request, success)
    return True


def form_page(request, form, action, *, success, back, title, error_status=400, **context):
    """A page with one form that calls one service: on a valid POST `action(cleaned_data)`, the `success`
    message (text, or a function of what the service returned) and back to `back`; a service's refusal
    lands on the field it names, the input kept (answered with `error_status`)."""
    if request.method == "POST" and form.is_valid():
        try:
            result = action(form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, success(result) if callable(success) else success)
            return redirect(back)
    return render_page(request, "evaluation/portal/form_page.html", {"title": title, "form": form, "back": back, **context},
                       status=error_status if form.errors else 200)


def listed(round_):
    """The round's preliminary list, shown beside the forms that act on it."""
    return round_.applications.filter(state=ApplicationState.SHORTLISTED).select_related("organization", "jurisdiction")
