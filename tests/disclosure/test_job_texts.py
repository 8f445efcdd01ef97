"""Text written by the jobs (findings, reminders) is shown in the reader's language: the job stores a
message code and its parameters; Chinese pages read Chinese, English pages English."""
import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from disclosure import jobs, texts
from disclosure.models import Finding, Reminder
from tests.disclosure import factories as df

D = datetime.date


@pytest.fixture
def missed(org, entry):
    jobs.check_missed_entries(today=D(2026, 6, 11))
    return Finding.objects.get(entry=entry)


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


@pytest.mark.django_db
def test_finding_pages_show_job_text_in_english(client, county_user, missed, entry):
    client.force_login(county_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    detail = client.get(reverse("disclosure_portal:finding_detail", args=[missed.pk])).content.decode()
    assert f"Catalogue entry “{entry.title}” should have been disclosed" in detail
    assert "窗口内未公开任何事项" not in detail
    listing = client.get(reverse("disclosure_portal:finding_list")).content.decode()
    assert "Catalogue entry" in listing and "窗口内未公开任何事项" not in listing


@pytest.mark.django_db
def test_finding_pages_stay_chinese_by_default(client, county_user, missed):
    client.force_login(county_user)
    detail = client.get(reverse("disclosure_portal:finding_detail", args=[missed.pk])).content.decode()
    assert missed.description in detail


@pytest.mark.django_db
def test_overdue_feedback_finding_in_english(org):
    df.FeedbackFactory(organization=org, received_on=D(2026, 6, 1))
    jobs.record_overdue_feedback(today=D(2026, 6, 12))
    finding = Finding.objects.get(kind="feedback_overdue")
    assert finding.text_code == "feedback_unanswered"
    assert "逾期未答复（R18）" in finding.description
    with translation.override("en"):
        assert finding.text.startswith("Feedback received on 2026-06-01 had to be answered within 5 working days")


@pytest.mark.django_db
def test_window_reminder_in_english_joins_titles_with_the_language_separator(client, org_user, org, entry):
    second = df.EntryFactory(organization=org, title="重要情况通报")
    jobs.send_window_reminders(today=D(2026, 6, 25))
    reminder = Reminder.objects.get()
    assert reminder.text_code == "window_unscheduled"
    assert f"{entry.title}、重要情况通报" in reminder.message
    client.force_login(org_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    home = client.get(reverse("disclosure_portal:home")).content.decode()
    assert "The disclosure window for 2026-07" in home
    assert f"{entry.title}, {second.title}" in home
    api = APIClient()
    api.force_authenticate(org_user)
    message = api.get("/api/v1/disclosure/reminders/", HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]["message"]
    assert message.startswith("The disclosure window for 2026-07")


@pytest.mark.django_db
def test_api_finding_text_follows_the_request_language(county_user, missed):
    api = APIClient()
    api.force_authenticate(county_user)
    english = api.get(f"/api/v1/disclosure/findings/{missed.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    chinese = api.get(f"/api/v1/disclosure/findings/{missed.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert english["text"].startswith("Catalogue entry") and english["description"] == missed.description
    assert chinese["text"] == missed.description


@pytest.mark.django_db
def test_findings_written_by_people_or_before_codes_show_as_written(org):
    finding = df.FindingFactory(organization=org, description="公开栏玻璃破损。")
    with translation.override("en"):
        assert finding.text == "公开栏玻璃破损。"


def test_broken_parameters_fall_back_to_the_stored_text():
    assert texts.render("missed_entry", {"title": "x"}, "原文") == "原文"
    assert texts.render("no_such_code", {}, "原文") == "原文"
