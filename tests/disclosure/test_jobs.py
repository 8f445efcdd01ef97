"""Beat jobs (R11, R14–R18, R20): set-based, idempotent, judged in China time across month and year ends;
their texts are stored with a code and shown in the reader's language."""
import datetime
import threading
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import translation
from hypothesis import HealthCheck, given, settings, strategies as st

from disclosure import dates, jobs, services, tasks
from disclosure.enums import (
    Cadence,
    ExemptionState,
    FeedbackState,
    FindingKind,
    FindingState,
    ItemState,
    ReminderKind,
    TimeType,
)
from disclosure.models import Finding, Item, Reminder
from qujing_disclosure.core.audit import history_for
from qujing_disclosure.core.models import AuditEntry
from tests import factories as f
from tests.disclosure import factories as df
from tests.disclosure.helpers import D, SH, window_reminder_expected


def approved(entry, publish_on, **kw):
    return df.ItemFactory(entry=entry, state=ItemState.APPROVED, publish_on=publish_on, **kw)


def audit_count(action):
    return AuditEntry.objects.filter(action=action).count()


# --- publish -----------------------------------------------------------------------


@pytest.mark.django_db
def test_publish_job_publishes_due_items_on_window_day_and_is_idempotent(entry):
    due = approved(entry, D(2026, 6, 3))
    future = approved(entry, D(2026, 6, 8))
    draft = df.ItemFactory(entry=entry, publish_on=D(2026, 6, 3))
    result = jobs.publish_due_items(today=D(2026, 6, 5))
    assert result.ids == [due.pk]
    due.refresh_from_db()
    assert (due.state, due.published_on) == (ItemState.PUBLISHED, D(2026, 6, 5))
    assert Item.objects.get(pk=future.pk).state == ItemState.APPROVED
    assert Item.objects.get(pk=draft.pk).state == ItemState.DRAFT
    assert jobs.publish_due_items(today=D(2026, 6, 5)).ids == []
    assert audit_count("disclosure.item.publish") == 1


@pytest.mark.django_db
@pytest.mark.parametrize("today", [D(2026, 6, 11), D(2026, 6, 30), D(2026, 12, 31)])
def test_r16_publish_job_waits_outside_window_but_publishes_prompt_items(entry, today):
    late = approved(entry, D(2026, 6, 3))
    prompt = approved(entry, today, time_type=TimeType.PROMPT)
    assert jobs.publish_due_items(today=today).ids == [prompt.pk]
    assert Item.objects.get(pk=late.pk).state == ItemState.APPROVED


@pytest.mark.django_db
def test_r16_approved_late_item_is_published_next_window_and_counted_late(entry):
    item = approved(entry, D(2026, 12, 3))
    assert jobs.publish_due_items(today=D(2026, 12, 20)).ids == []
    assert jobs.publish_due_items(today=D(2027, 1, 1)).ids == [item.pk]
    item.refresh_from_db()
    assert item.published_on == D(2027, 1, 1)
    assert item.on_time is False


@pytest.mark.django_db
def test_publish_job_in_china_time_just_after_midnight(entry):
    item = approved(entry, D(2026, 7, 1))
    # 2026-06-30 16:30 UTC is already 1 July 00:30 in Shanghai: a window day.
    with time_machine.travel(datetime.datetime(2026, 6, 30, 16, 30, tzinfo=datetime.UTC), tick=False):
        assert jobs.publish_due_items().ids == [item.pk]


@pytest.mark.django_db
def test_job_audit_rows_read_like_any_other(entry):
    import uuid

    from qujing_disclosure.core.audit import history_for

    first, second = approved(entry, D(2026, 6, 3)), approved(entry, D(2026, 6, 1))
    jobs.publish_due_items(today=D(2026, 6, 5))
    rows = [list(history_for(item)) for item in (first, second)]
    assert [[(e.action, e.actor, e.from_state, e.to_state, e.data) for e in r] for r in rows] == [
        [("disclosure.item.publish", None, "approved", "published",
          {"changes": {"published_on": {"old": None, "new": "2026-06-05"}}})],
    ] * 2
    assert isinstance(rows[0][0].batch, uuid.UUID)
    assert rows[0][0].batch == rows[1][0].batch  # one batch per run


# --- archive -----------------------------------------------------------------------


@pytest.mark.django_db
def test_r17_archive_job_never_before_15_days(entry):
    ended = df.published_item(D(2026, 6, 1), entry=entry, display_until=D(2026, 6, 16))
    still_on = df.published_item(D(2026, 6, 1), entry=entry, display_until=D(2026, 6, 30))
    long_term = df.published_item(D(2026, 1, 1), entry=entry, display_until=None, time_type=TimeType.LONG_TERM)
    assert jobs.archive_ended_items(today=D(2026, 6, 16)).ids == []
    assert jobs.archive_ended_items(today=D(2026, 6, 17)).ids == [ended.pk]
    assert jobs.archive_ended_items(today=D(2026, 6, 17)).ids == []
    assert Item.objects.get(pk=still_on.pk).state == ItemState.PUBLISHED
    assert Item.objects.get(pk=long_term.pk).state == ItemState.PUBLISHED
    assert audit_count("disclosure.item.archive") == 1


@pytest.mark.django_db
def test_r17_archive_job_keeps_late_published_item_15_days_even_if_end_passed(entry):
    # Asked-for end 16 June, but published only on 10 June: it stays until 15 days have passed.
    item = df.published_item(D(2026, 6, 10), entry=entry, publish_on=D(2026, 6, 1), display_until=D(2026, 6, 16))
    assert jobs.archive_ended_items(today=D(2026, 6, 20)).ids == []
    assert jobs.archive_ended_items(today=D(2026, 6, 26)).ids == [item.pk]


@pytest.mark.django_db
def test_r15_superseded_long_term_item_is_archived_after_15_days(entry):
    old = df.published_item(D(2026, 12, 25), entry=entry, display_until=None, time_type=TimeType.LONG_TERM)
    new = df.ItemFactory(entry=entry, state=ItemState.APPROVED, publish_on=D(2027, 1, 2), previous=old,
                         time_type=TimeType.LONG_TERM, display_until=None)
    assert jobs.publish_due_items(today=D(2027, 1, 2)).ids == [new.pk]
    assert Item.objects.get(pk=old.pk).superseded is True
    assert jobs.archive_ended_items(today=D(2027, 1, 8)).ids == []
    assert jobs.archive_ended_items(today=D(2027, 1, 9)).ids == [old.pk]


# --- the 11th check ------------------------------------------------------------------


@pytest.mark.django_db
def test_r16_check_on_11th_records_finding_for_missed_entry_once(org, entry):
    on_time_entry = df.EntryFactory(organization=org)
    df.published_item(D(2026, 6, 4), entry=on_time_entry)
    late_entry = df.EntryFactory(organization=org)
    df.published_item(D(2026, 6, 12), entry=late_entry)
    df.EntryFactory(organization=org, cadence=Cadence.AS_NEEDED)
    df.EntryFactory(organization=org, cadence=Cadence.QUARTERLY)  # June is not a quarter month
    result = jobs.check_missed_entries(today=D(2026, 6, 11))
    assert sorted(Finding.objects.values_list("entry_id", flat=True)) == sorted([entry.pk, late_entry.pk])
    assert result.count == 2
    assert jobs.check_missed_entries(today=D(2026, 6, 12)).ids == []
    assert Finding.objects.filter(kind=FindingKind.MISSED, period=D(2026, 6, 1), by_job=True).count() == 2
    assert audit_count("disclosure.finding.record") == 2


@pytest.mark.django_db
def test_check_before_window_end_judges_previous_month_across_year_end(org):
    quarterly = df.EntryFactory(organization=org, cadence=Cadence.YEARLY)
    monthly = df.EntryFactory(organization=org)
    df.published_item(D(2026, 12, 2), entry=monthly)
    jobs.check_missed_entries(today=D(2027, 1, 5))  # judges December 2026
    assert list(Finding.objects.values_list("entry_id", "period")) == []
    jobs.check_missed_entries(today=D(2027, 1, 11))  # judges January 2027
    assert sorted(Finding.objects.values_list("entry_id", flat=True)) == sorted([quarterly.pk, monthly.pk])


@pytest.mark.django_db
def test_check_ignores_entries_created_after_month_start(org):
    from django.utils import timezone

    df.EntryFactory(organization=org, created_at=timezone.make_aware(datetime.datetime(2026, 6, 5)))
    assert jobs.check_missed_entries(today=D(2026, 6, 11)).ids == []


@pytest.mark.django_db
def test_job_finding_stores_code_params_and_chinese_text(missed, entry):
    assert (missed.text_code, missed.text_params) == ("missed_entry", {"title": entry.title, "month": "2026-06"})
    assert missed.description == f"目录条目“{entry.title}”2026-06应在1—10日公开，窗口内未公开任何事项（R16）。"
    with translation.override("en"):
        assert missed.text.startswith(f"Catalogue entry “{entry.title}” should have been disclosed")
        # Stored in the source language whatever language the job ran in.
        jobs.check_missed_entries(today=D(2026, 7, 11))
    july = Finding.objects.get(entry=entry, period=D(2026, 7, 1))
    assert july.description == f"目录条目“{entry.title}”2026-07应在1—10日公开，窗口内未公开任何事项（R16）。"
    with translation.override("zh-hans"):
        assert missed.text == missed.description


# --- reminders -----------------------------------------------------------------------


@pytest.mark.django_db
def test_window_reminders_on_25th_and_8th_only_when_not_scheduled(org, entry, other_org):
    scheduled_entry = df.EntryFactory(organization=other_org)
    df.ItemFactory(entry=scheduled_entry, publish_on=D(2027, 1, 5), state=ItemState.SUBMITTED)
    assert jobs.send_window_reminders(today=D(2026, 12, 24)).ids == []
    result = jobs.send_window_reminders(today=D(2026, 12, 25))
    reminder = Reminder.objects.get()
    assert (reminder.organization_id, reminder.kind, reminder.period) == (org.pk, ReminderKind.WINDOW_OPENING, D(2027, 1, 1))
    assert entry.title in reminder.message
    assert result.count == 1
    assert jobs.send_window_reminders(today=D(2026, 12, 25)).ids == []
    # On the 8th only approved or published items count as scheduled.
    closing = jobs.send_window_reminders(today=D(2027, 1, 8))
    assert sorted(Reminder.objects.filter(kind=ReminderKind.WINDOW_CLOSING).values_list("organization_id", flat=True)) \
        == sorted([org.pk, other_org.pk])
    assert closing.count == 2


def _reminders():
    return sorted(Reminder.objects.values_list("organization_id", "kind", "period"))


@pytest.mark.django_db
def test_running_every_day_across_the_year_end_sends_each_reminder_once(org, entry):
    day = D(2026, 12, 20)
    while day <= D(2027, 1, 15):
        jobs.send_window_reminders(today=day)
        day += datetime.timedelta(days=1)
    assert _reminders() == [(org.pk, ReminderKind.WINDOW_CLOSING, D(2027, 1, 1)),
                            (org.pk, ReminderKind.WINDOW_OPENING, D(2027, 1, 1))]


@pytest.mark.django_db
@pytest.mark.parametrize("missed,caught_up,kind,period", [
    ((D(2026, 12, 25), D(2026, 12, 26)), D(2026, 12, 31), ReminderKind.WINDOW_OPENING, D(2027, 1, 1)),
    ((D(2027, 2, 25),), D(2027, 2, 28), ReminderKind.WINDOW_OPENING, D(2027, 3, 1)),
    ((D(2027, 1, 8),), D(2027, 1, 9), ReminderKind.WINDOW_CLOSING, D(2027, 1, 1)),
    ((D(2027, 1, 8), D(2027, 1, 9)), D(2027, 1, 10), ReminderKind.WINDOW_CLOSING, D(2027, 1, 1)),
])
def test_a_lost_run_is_caught_up_later_in_the_range(org, entry, missed, caught_up, kind, period):
    result = jobs.send_window_reminders(today=caught_up)
    assert result.count == 1
    assert _reminders() == [(org.pk, kind, period)]
    assert jobs.send_window_reminders(today=caught_up).ids == []


@pytest.mark.django_db
def test_nothing_after_the_window_has_closed_or_before_the_ranges(org, entry):
    for day in (D(2027, 1, 11), D(2027, 1, 24), D(2027, 1, 1), D(2027, 1, 7)):
        assert jobs.send_window_reminders(today=day).ids == []
    assert _reminders() == []


@pytest.mark.django_db
def test_an_organisation_that_scheduled_in_time_is_not_reminded_later(org, entry, other_org, other_entry):
    jobs.send_window_reminders(today=D(2026, 12, 25))
    df.ItemFactory(entry=other_entry, state=ItemState.APPROVED, publish_on=D(2027, 1, 4))
    jobs.send_window_reminders(today=D(2027, 1, 8))
    assert _reminders() == sorted([
        (org.pk, ReminderKind.WINDOW_OPENING, D(2027, 1, 1)), (other_org.pk, ReminderKind.WINDOW_OPENING, D(2027, 1, 1)),
        (org.pk, ReminderKind.WINDOW_CLOSING, D(2027, 1, 1)),
    ])


@pytest.mark.django_db
def test_dry_run_in_the_range_reports_only_organisations_not_yet_reminded(org, entry, other_org, other_entry):
    jobs.send_window_reminders(today=D(2026, 12, 25))
    assert jobs.send_window_reminders(today=D(2026, 12, 27), dry_run=True).ids == []


run_starts = st.dates(min_value=D(2025, 1, 1), max_value=D(2030, 12, 31)).map(
    lambda d: d.replace(day=1) - datetime.timedelta(days=d.day % 12))  # near month (and year) ends


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=run_starts, runs=st.lists(st.booleans(), min_size=1, max_size=45))
def test_reminders_once_per_window_and_kind_whatever_days_the_job_runs(org, entry, start, runs):
    Reminder.objects.all().delete()  # each example starts afresh (the examples share one test transaction)
    expected = set()
    for offset, runs_today in enumerate(runs):
        day = start + datetime.timedelta(days=offset)
        if not runs_today:
            continue
        jobs.send_window_reminders(today=day)
        due = window_reminder_expected(day)
        if due:
            kind = ReminderKind.WINDOW_OPENING if due[0] == "opening" else ReminderKind.WINDOW_CLOSING
            expected.add((org.pk, kind, due[1]))
    assert _reminders() == sorted(expected)


@pytest.mark.django_db
def test_r11_exemption_review_reminders_once(org):
    approved_on = D(2026, 1, 5)
    soon = df.ExemptionFactory(organization=org, approved_on=approved_on, review_by=D(2026, 6, 20))
    df.ExemptionFactory(organization=org, approved_on=approved_on, review_by=D(2026, 9, 1))
    df.ExemptionFactory(organization=org, approved_on=approved_on, review_by=D(2026, 6, 10),
                        state=ExemptionState.RELEASED)
    assert jobs.send_exemption_reminders(today=D(2026, 6, 10)).count == 1
    assert jobs.send_exemption_reminders(today=D(2026, 6, 11)).count == 0
    assert Reminder.objects.get().ref_id == soon.pk


# --- commands and tasks ----------------------------------------------------------------


@pytest.mark.django_db
def test_dry_run_command_changes_nothing(entry):
    item = approved(entry, D(2026, 6, 3))
    out = StringIO()
    call_command("disclosure_publish", "--dry-run", "--date", "2026-06-05", stdout=out)
    assert "would change 1" in out.getvalue()
    assert Item.objects.get(pk=item.pk).state == ItemState.APPROVED
    call_command("disclosure_publish", "--date", "2026-06-05", stdout=out)
    assert Item.objects.get(pk=item.pk).state == ItemState.PUBLISHED


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["disclosure_archive", "disclosure_check_missed", "disclosure_window_reminders",
                                     "disclosure_exemption_reminders", "disclosure_overdue_feedback"])
def test_every_job_command_runs_dry(entry, command):
    out = StringIO()
    call_command(command, "--dry-run", "--date", "2026-06-11", stdout=out)
    assert "2026-06-11" in out.getvalue()


@pytest.mark.django_db
def test_tasks_are_late_acked_and_scheduled():
    for task in (tasks.publish_due_items_task, tasks.archive_ended_items_task, tasks.check_missed_entries_task,
                 tasks.send_window_reminders_task, tasks.send_exemption_reminders_task,
                 tasks.record_overdue_feedback_task):
        assert task.acks_late is True
    assert {entry["task"] for entry in tasks.BEAT_SCHEDULE.values()} == {
        "disclosure.publish_due_items", "disclosure.archive_ended_items", "disclosure.check_missed_entries",
        "disclosure.send_window_reminders", "disclosure.send_exemption_reminders", "disclosure.record_overdue_feedback",
    }


@pytest.mark.django_db(transaction=True)
def test_prompt_item_is_published_on_commit_after_review(org, county_user):
    from disclosure import services
    from tests import factories as f

    org_user = f.organization_user(org, username="prompt_user")
    entry = df.EntryFactory(organization=org)
    entry.carriers.set([df.CarrierFactory(organization=org)])  # an external item names its carriers (R13)
    with time_machine.travel(datetime.datetime(2026, 6, 20, 10, tzinfo=SH), tick=False):
        item = services.item_create(actor=org_user, entry_id=entry.pk, title="突发事件处置情况", content="…",
                                    time_type=TimeType.PROMPT, publish_on=D(2026, 6, 20), display_until=D(2026, 7, 10))
        services.item_submit(actor=org_user, item_id=item.pk)
        services.item_initial_review(actor=org_user, item_id=item.pk, approve=True, check_content=True,
                                     check_scope=True, check_form=True, check_timing=True)
        services.item_review(actor=county_user, item_id=item.pk, approve=True)
    item.refresh_from_db()
    assert item.state == ItemState.PUBLISHED


# --- PostgreSQL: two runs at once ---------------------------------------------------------


def _run_in_threads(func, n=4):
    errors = []
    barrier = threading.Barrier(n)

    def target():
        try:
            barrier.wait()
            func()
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=target) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_publish_and_archive_jobs_in_parallel_change_each_row_once(org):
    entry = df.EntryFactory(organization=org)
    for _i in range(300):
        approved(entry, D(2026, 6, 3))
    for _i in range(200):
        df.published_item(D(2026, 5, 1), entry=entry, display_until=D(2026, 5, 20))
    _run_in_threads(lambda: jobs.publish_due_items(today=D(2026, 6, 5)))
    _run_in_threads(lambda: jobs.archive_ended_items(today=D(2026, 6, 5)))
    assert Item.objects.filter(state=ItemState.PUBLISHED).count() == 300
    assert Item.objects.filter(state=ItemState.ARCHIVED).count() == 200
    assert audit_count("disclosure.item.publish") == 300
    assert audit_count("disclosure.item.archive") == 200
    assert len(set(AuditEntry.objects.filter(action="disclosure.item.publish").values_list("object_id", flat=True))) == 300


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_missed_check_and_reminders_in_parallel_record_once(org, other_org):
    for o in (org, other_org):
        for _i in range(20):
            df.EntryFactory(organization=o)
    _run_in_threads(lambda: jobs.check_missed_entries(today=D(2026, 6, 11)))
    _run_in_threads(lambda: jobs.send_window_reminders(today=D(2026, 6, 25)))
    assert Finding.objects.count() == 40
    assert audit_count("disclosure.finding.record") == 40
    assert Reminder.objects.count() == 2
    assert audit_count("disclosure.reminder.create") == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_catch_up_runs_on_different_days_at_once_remind_once(org, other_org):
    import itertools


    for o in (org, other_org):
        df.EntryFactory(organization=o)
    reminder_days = itertools.cycle([D(2026, 6, 26), D(2026, 6, 27), D(2026, 6, 30), D(2026, 6, 28)])
    _run_in_threads(lambda: jobs.send_window_reminders(today=next(reminder_days)))
    assert sorted(Reminder.objects.values_list("organization_id", "kind", "period")) == sorted(
        [(org.pk, ReminderKind.WINDOW_OPENING, D(2026, 7, 1)), (other_org.pk, ReminderKind.WINDOW_OPENING, D(2026, 7, 1))])


# --- the window and display rules at job level, property-based ------------------------------


job_days = st.dates(min_value=D(2025, 1, 1), max_value=D(2030, 12, 31)).flatmap(
    lambda d: st.sampled_from([d, d.replace(day=1) - datetime.timedelta(days=1), d.replace(day=1), d.replace(day=10),
                               d.replace(day=11)]))


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(today=job_days, lag=st.integers(0, 40), prompt=st.booleans())
def test_r16_publish_job_property(entry, today, lag, prompt):
    publish_on = today - datetime.timedelta(days=lag)
    item = approved(entry, publish_on, time_type=TimeType.PROMPT if prompt else TimeType.STAGED)
    ids = jobs.publish_due_items(today=today).ids
    from disclosure import dates

    assert (item.pk in ids) == (prompt or dates.in_window(today))
    if item.pk in ids:
        item.refresh_from_db()
        assert item.published_on == today
        assert dates.in_window(item.published_on) or prompt


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(published_on=job_days, length=st.integers(1, 40), age=st.integers(0, 60))
def test_r17_archive_job_property(entry, published_on, length, age):
    item = df.published_item(published_on, entry=entry, display_until=published_on + datetime.timedelta(days=length))
    today = published_on + datetime.timedelta(days=age)
    archived = item.pk in jobs.archive_ended_items(today=today).ids
    assert not archived or age > 15  # R17: never before 15 days on display
    assert archived == (age > max(length, 15))


# --- overdue feedback → finding (R18, R20) ----------------------------------------------------


def feedback(organization, received_on, **kw):
    return df.FeedbackFactory(organization=organization, received_on=received_on, **kw)


def answered(organization, received_on, answered_on):
    from disclosure.enums import FeedbackState

    return feedback(organization, received_on, state=FeedbackState.ANSWERED, answer="已答复", answered_on=answered_on)


@pytest.mark.django_db
def test_r18_overdue_feedback_job_records_one_finding_per_overdue_feedback_and_is_idempotent(org, other_org):
    from disclosure.enums import FeedbackState, FindingState
    from disclosure.selectors import inspection_record_for

    # Received Monday 1 June 2026: five working days end on Monday 8 June.
    open_late = feedback(org, D(2026, 6, 1))
    answered(org, D(2026, 6, 1), D(2026, 6, 8))  # on the last day: in time
    feedback(org, D(2026, 6, 3))  # due 10 June: not yet
    handling_late = feedback(other_org, D(2026, 6, 1), state=FeedbackState.HANDLING)
    assert jobs.record_overdue_feedback(today=D(2026, 6, 8)).ids == []
    answered_late = answered(org, D(2026, 6, 1), D(2026, 6, 9))

    result = jobs.record_overdue_feedback(today=D(2026, 6, 9))

    findings = Finding.objects.filter(kind=FindingKind.FEEDBACK_OVERDUE).order_by("feedback_id")
    assert sorted(result.ids) == sorted(f.pk for f in findings)
    assert [(f.feedback_id, f.organization_id, f.jurisdiction_id, f.period, f.by_job, f.state, f.created_by)
            for f in findings] == [
        (open_late.pk, org.pk, org.jurisdiction_id, D(2026, 6, 1), True, FindingState.OPEN, None),
        (handling_late.pk, other_org.pk, other_org.jurisdiction_id, D(2026, 6, 1), True, FindingState.OPEN, None),
        (answered_late.pk, org.pk, org.jurisdiction_id, D(2026, 6, 1), True, FindingState.OPEN, None),
    ]
    assert findings[0].description == "群众意见建议于 2026-06-01 受理，应在 5 个工作日内即 2026-06-08 前答复，逾期未答复（R18）。"
    assert findings[2].description == (
        "群众意见建议于 2026-06-01 受理，应在 5 个工作日内即 2026-06-08 前答复，2026-06-09 才答复（R18）。")
    assert audit_count("disclosure.finding.record") == 3
    assert list(AuditEntry.objects.filter(action="disclosure.finding.record").values_list("actor", flat=True)) == [None] * 3

    # Running again (the next day too) records nothing more.
    assert jobs.record_overdue_feedback(today=D(2026, 6, 9)).ids == []
    assert jobs.record_overdue_feedback(today=D(2026, 6, 10)).ids == []
    assert len(jobs.record_overdue_feedback(today=D(2026, 6, 11)).ids) == 1  # the one received 3 June
    assert Finding.objects.filter(kind=FindingKind.FEEDBACK_OVERDUE).count() == 4
    assert jobs.record_overdue_feedback(today=D(2026, 6, 30)).ids == []
    assert audit_count("disclosure.finding.record") == 4

    # They count against the organisation (R20) in its inspection record.
    record = inspection_record_for([org.pk, other_org.pk], year=2026, today=D(2026, 6, 30))
    assert (record[org.pk]["findings"], record[other_org.pk]["findings"]) == (3, 1)


@pytest.mark.django_db
def test_r18_overdue_feedback_findings_go_to_the_supervising_office_only(org, other_org, county_user,
                                                                          other_county_user):
    from disclosure.selectors import finding_list_for

    mine = feedback(org, D(2026, 6, 1))
    feedback(other_org, D(2026, 6, 1))
    jobs.record_overdue_feedback(today=D(2026, 6, 9))
    assert [f.feedback_id for f in finding_list_for(county_user).filter(kind=FindingKind.FEEDBACK_OVERDUE)] == [mine.pk]
    assert org.pk not in {f.organization_id for f in finding_list_for(other_county_user)}


@pytest.mark.django_db
def test_r18_staff_calendar_correction_moves_the_deadline_the_job_judges(org, municipal):
    from qujing_disclosure.core.services import calendar_day_set

    later = feedback(org, D(2026, 6, 1))  # due Monday 8 June on the official calendar
    # Staff give Wednesday 3 June off: the deadline moves to Tuesday 9 June.
    calendar_day_set(actor=municipal, date=D(2026, 6, 3), is_working_day=False, name="临时调整休息")
    assert jobs.record_overdue_feedback(today=D(2026, 6, 9)).ids == []
    assert [f.feedback_id for f in Finding.objects.filter(kind=FindingKind.FEEDBACK_OVERDUE)] == []
    (finding,) = Finding.objects.filter(pk__in=jobs.record_overdue_feedback(today=D(2026, 6, 10)).ids)
    assert (finding.feedback_id, finding.period) == (later.pk, D(2026, 6, 1))
    assert "2026-06-09 前答复" in finding.description


@pytest.mark.django_db
def test_r18_make_up_working_day_makes_feedback_overdue_sooner(org, municipal):
    from qujing_disclosure.core.services import calendar_day_set

    item = feedback(org, D(2026, 6, 1))  # due Monday 8 June
    assert jobs.record_overdue_feedback(today=D(2026, 6, 8)).ids == []
    calendar_day_set(actor=municipal, date=D(2026, 6, 6), is_working_day=True, name="调休上班")  # Saturday works
    (finding,) = Finding.objects.filter(pk__in=jobs.record_overdue_feedback(today=D(2026, 6, 8)).ids)
    assert finding.feedback_id == item.pk
    assert "2026-06-06 前答复" in finding.description


@pytest.mark.django_db
def test_r18_overdue_feedback_across_year_end_is_dated_in_the_month_it_was_due(org):
    # Received Monday 28 Dec 2026: 29, 30, 31 Dec, then New Year's Day and a weekend, then 4 and 5 Jan.
    late = feedback(org, D(2026, 12, 28))
    assert jobs.record_overdue_feedback(today=D(2027, 1, 5)).ids == []
    (finding,) = Finding.objects.filter(pk__in=jobs.record_overdue_feedback(today=D(2027, 1, 6)).ids)
    assert (finding.feedback_id, finding.period) == (late.pk, D(2027, 1, 1))


@pytest.mark.django_db
def test_r18_overdue_feedback_dry_run_changes_nothing(org):
    late = feedback(org, D(2026, 6, 1))
    out = StringIO()
    call_command("disclosure_overdue_feedback", "--dry-run", "--date", "2026-06-09", stdout=out)
    assert "would change 1" in out.getvalue()
    assert f"ids: {late.pk}" in out.getvalue()
    assert Finding.objects.count() == 0


@pytest.mark.django_db
def test_overdue_feedback_finding_in_english(org):
    df.FeedbackFactory(organization=org, received_on=D(2026, 6, 1))
    jobs.record_overdue_feedback(today=D(2026, 6, 12))
    finding = Finding.objects.get(kind="feedback_overdue")
    assert finding.text_code == "feedback_unanswered"
    assert "逾期未答复（R18）" in finding.description
    with translation.override("en"):
        assert finding.text.startswith("Feedback received on 2026-06-01 had to be answered within 5 working days")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_overdue_feedback_job_in_parallel_records_once(org, other_org):
    for o in (org, other_org):
        for _i in range(15):
            feedback(o, D(2026, 6, 1))
    _run_in_threads(lambda: jobs.record_overdue_feedback(today=D(2026, 6, 9)))
    assert Finding.objects.filter(kind=FindingKind.FEEDBACK_OVERDUE).count() == 30
    assert audit_count("disclosure.finding.record") == 30
