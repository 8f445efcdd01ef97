"""models: what an item and a job-written row say about themselves (R17 display end, texts in the
reader's language)."""
import datetime

import pytest
from django.utils import translation

from disclosure import jobs
from disclosure.enums import TimeType
from tests.disclosure import factories as df
from tests.disclosure.helpers import D


@pytest.mark.django_db
def test_display_end_is_what_the_archive_job_uses(late):
    assert late.display_end == D(2026, 6, 27)
    assert late.display_extended is True
    assert jobs.archive_ended_items(today=late.display_end).ids == []
    assert jobs.archive_ended_items(today=late.display_end + datetime.timedelta(days=1)).ids == [late.pk]


@pytest.mark.django_db
def test_display_end_before_publication_is_the_asked_for_end_and_long_term_has_none(entry):
    draft = df.ItemFactory(entry=entry, publish_on=D(2026, 6, 2), display_until=D(2026, 6, 30))
    assert (draft.display_end, draft.display_extended) == (D(2026, 6, 30), False)
    long_term = df.published_item(D(2026, 6, 2), entry=entry, display_until=None, time_type=TimeType.LONG_TERM)
    assert (long_term.display_end, long_term.display_extended) == (None, False)


@pytest.mark.django_db
def test_findings_written_by_people_or_before_codes_show_as_written(org):
    finding = df.FindingFactory(organization=org, description="公开栏玻璃破损。")
    with translation.override("en"):
        assert finding.text == "公开栏玻璃破损。"
