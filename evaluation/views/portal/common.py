"""What the portal pages of evaluation share: the menu, the 404-unless-permitted decorator, messages."""
import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from qujing_disclosure.core.errors import DomainError
from qujing_disclosure.core.portal import portal_menu


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
