"""Text written by the scheduled jobs (findings, reminders), rendered in the reader's language.

A job stores a message code and its parameters beside the Chinese text (kept for search, the admin
and rows written before codes existed); pages and API answers render the code in the language of the
request, so an English page shows English. Unknown codes or broken parameters fall back to the stored text.

Its room is just above enums, beside dates.py: the jobs write with it and the models read with it
(Finding.text, Reminder.text); it imports nothing of the app (.importlinter's rooms contract).
"""
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

JOB_TEXTS = {
    # R16/R20: the 11th check (jobs.check_missed_entries).
    "missed_entry": _("目录条目“%(title)s”%(month)s应在1—10日公开，窗口内未公开任何事项（R16）。"),
    # R18/R20: feedback past its working-day deadline (jobs.record_overdue_feedback).
    "feedback_answered_late": _("群众意见建议于 %(received)s 受理，应在 %(days)d 个工作日内即 %(due)s 前答复，"
                                "%(answered)s 才答复（R18）。"),
    "feedback_unanswered": _("群众意见建议于 %(received)s 受理，应在 %(days)d 个工作日内即 %(due)s 前答复，逾期未答复（R18）。"),
    # R16: window reminders (jobs.send_window_reminders); `titles` is a list joined in the reader's language.
    "window_unscheduled": _("%(month)s的公开窗口为%(first)d—%(last)d日（北京时间），以下目录条目尚未安排公开：%(titles)s。"),
    # R11: exemption reviews coming due (jobs.send_exemption_reminders).
    "exemption_review": _("暂不宜公开备案“%(title)s”应于 %(date)s 前复核（R11）。"),
}


def render(code, params, fallback=""):
    """The job text `code` with `params`, in the active language; `fallback` when it cannot be rendered."""
    template = JOB_TEXTS.get(code or "")
    if template is None:
        return fallback
    values = dict(params or {})
    if isinstance(values.get("titles"), list):
        values["titles"] = gettext("、").join(values["titles"])
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return fallback


def stored(code, params):
    """The text as stored with the row: in the source language (Simplified Chinese), whatever is active."""
    with translation.override(settings.LANGUAGE_CODE):
        return render(code, params)
