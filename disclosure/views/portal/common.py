"""What every disclosure portal page shares: the permission a page needs (404 for anyone without it,
as if it did not exist), the submenu, rendering, and running a service from a form."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from qujing_disclosure.core.audit import action_label
from qujing_disclosure.core.errors import DomainError, NotPermitted
from qujing_disclosure.core.portal import portal_menu

from ...forms import add_domain_error


def page(perm: str = "disclosure.use_portal") -> Callable:
    """The view exists only for users holding `perm` (rules.py); anyone else signed in gets 404."""
    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.has_perm(perm):
                raise Http404()
            return view(request, *args, **kwargs)
        return wrapper
    return decorator


def require_object(request: HttpRequest, perm: str, obj) -> None:
    """404 unless the user holds `perm` on `obj` (an object the user may read, but not change)."""
    if not request.user.has_perm(perm, obj):
        raise Http404()


def _submenu(request: HttpRequest) -> list[dict]:
    user = request.user
    entries = [(_("概览"), "disclosure_portal:home")]
    entries += [(_("公开目录"), "disclosure_portal:catalogue"), (_("公开事项"), "disclosure_portal:item_list"),
                (_("意见建议"), "disclosure_portal:feedback_list"), (_("暂缓公开备案"), "disclosure_portal:exemption_list"),
                (_("整改通知"), "disclosure_portal:rectification_list")]
    if user.has_perm("disclosure.view_findings"):
        entries.append((_("检查发现"), "disclosure_portal:finding_list"))
    if user.has_perm("disclosure.view_board"):
        entries.append((_("合规看板"), "disclosure_portal:board"))
    path = request.path
    links = [(label, reverse(name)) for label, name in entries]
    best = max((url for _l, url in links if path.startswith(url)), key=len, default=None)
    return [{"label": label, "url": url, "active": url == best} for label, url in links]


def render_page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, {**context, "portal_menu": portal_menu(request), "submenu": _submenu(request)},
                  status=status)


def form_page(request: HttpRequest, form: forms.Form, *, title: str, intro: str = "", back: str | None = None,
              multipart: bool = False, submit: str | None = None, toggle: str | None = None) -> HttpResponse:
    return render_page(request, "disclosure/portal/form.html", {
        "form": form, "title": title, "intro": intro, "back": back, "multipart": multipart,
        "submit": submit or _("保存"), "toggle": toggle,
    })


def call(form: forms.Form, func: Callable, **kwargs):
    """Run a service; a DomainError lands on the form (field or top). NotPermitted is a 404.
    Returns (result, True) or (None, False)."""
    try:
        return func(**kwargs), True
    except NotPermitted:
        raise Http404() from None
    except DomainError as exc:
        add_domain_error(form, exc)
        return None, False


def organization_filter(request: HttpRequest, qs: QuerySet) -> QuerySet:
    """`?organization=<id>` narrows a list the selector has already scoped."""
    org = request.GET.get("organization")
    if org and org.isdigit():
        qs = qs.filter(organization_id=int(org))
    return qs


def _state_label(code: str, enums: tuple) -> str:
    for enum in enums:
        if code in enum.values:
            return enum(code).label
    return code


def timeline(history, *, states: tuple) -> list:
    """Audit entries ready to show: `.label` (what was done, in the words wiring.py registered) and
    `.state_label`/`.from_label` (the states by their translated names rather than their codes; a
    repeated inspection keeps its result in the record's data)."""
    entries = list(history)
    for entry in entries:
        entry.label = action_label(entry.action)
        to_state = entry.to_state or (entry.data or {}).get("result", "")
        entry.state_label = _state_label(to_state, states) if to_state else ""
        entry.from_label = _state_label(entry.from_state, states) if entry.from_state else ""
    return entries
