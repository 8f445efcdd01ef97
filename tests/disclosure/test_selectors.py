"""Compliance figures for offices and the evaluation ranking (R6, R16–R20)."""
import datetime

import pytest

from disclosure import selectors
from disclosure.enums import (
    Cadence,
    ComplianceMark,
    FeedbackState,
    FindingKind,
    RectificationState,
)
from tests import factories as f
from tests.disclosure import factories as df

D = datetime.date


@pytest.mark.django_db
def test_inspection_record_figures(org, other_org, django_assert_max_num_queries):
    entry = df.EntryFactory(organization=org)
    df.published_item(D(2026, 3, 2), entry=entry)                            # on time
    df.published_item(D(2026, 4, 12), entry=entry, publish_on=D(2026, 4, 3))  # late
    df.EntryFactory(organization=org, cadence=Cadence.AS_NEEDED)              # never used
    df.FindingFactory(organization=org, kind=FindingKind.MISSED, period=D(2026, 5, 1))
    df.FindingFactory(organization=org, kind=FindingKind.DISPLAY_BREACH, period=D(2026, 5, 1))
    df.FeedbackFactory(organization=org, received_on=D(2026, 6, 1), state=FeedbackState.ANSWERED, answer="a",
                       answered_on=D(2026, 6, 2))
    df.FeedbackFactory(organization=org, received_on=D(2026, 6, 1))          # open past deadline
    notice = df.RectificationFactory(finding=df.FindingFactory(organization=org, state="notice_issued"),
                                     deadline=D(2026, 6, 30))
    from disclosure.models import Rectification, SatisfactionRating

    Rectification.objects.filter(pk=notice.pk).update(issued_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC))
    for n, rating in enumerate(["satisfied", "basic", "dissatisfied", "satisfied"]):
        SatisfactionRating.objects.create(organization=org, jurisdiction=org.jurisdiction, month=D(2026, 6, 1),
                                          rating=rating, voter_hash=str(n))
    with django_assert_max_num_queries(8):
        record = selectors.inspection_record_for([org.pk, other_org.pk], year=2026, today=D(2026, 11, 25))
    r = record[org.pk]
    assert (r["published"], r["on_time"], r["late"], r["on_time_rate"]) == (2, 1, 1, 0.5)
    assert (r["missed"], r["display_breaches"], r["findings"]) == (1, 1, 3)
    assert (r["entries"], r["entries_covered"], r["coverage_rate"]) == (2, 1, 0.5)
    assert (r["feedback"], r["feedback_answered_in_time"], r["feedback_overdue"]) == (2, 1, 1)
    assert (r["rectifications"], r["rectifications_open"], r["rectifications_overdue"]) == (1, 1, 1)
    assert r["satisfaction"] == {"satisfied": 2, "basic": 1, "dissatisfied": 1, "total": 4, "rate": 0.75}
    assert record[other_org.pk]["published"] == 0
    assert record[other_org.pk]["on_time_rate"] is None


@pytest.mark.django_db
def test_inspection_record_query_count_does_not_grow_with_organisations(county, django_assert_max_num_queries):
    orgs = [f.OrganizationFactory(jurisdiction=county) for _i in range(20)]
    for o in orgs:
        e = df.EntryFactory(organization=o)
        df.published_item(D(2026, 3, 2), entry=e)
        df.FeedbackFactory(organization=o, received_on=D(2026, 3, 3))
    with django_assert_max_num_queries(8):
        selectors.inspection_record_for([o.pk for o in orgs], year=2026)


@pytest.mark.django_db
def test_compliance_calendar_marks(org):
    monthly = df.EntryFactory(organization=org)
    df.published_item(D(2026, 9, 3), entry=monthly)                              # on time
    df.published_item(D(2026, 10, 15), entry=monthly, publish_on=D(2026, 10, 5))  # late
    # November: nothing yet, and the window closed on the 10th → missed.
    marks = dict(selectors.compliance_calendar([org.pk], today=D(2026, 11, 25))[org.pk])
    assert marks[D(2026, 9, 1)] == ComplianceMark.ON_TIME
    assert marks[D(2026, 10, 1)] == ComplianceMark.LATE
    assert marks[D(2026, 11, 1)] == ComplianceMark.MISSED
    # While the window is still open, the running month is not yet missed.
    early = dict(selectors.compliance_calendar([org.pk], today=D(2026, 11, 5))[org.pk])
    assert early[D(2026, 11, 1)] == ComplianceMark.ON_TIME
    assert len(early) == 12 and min(early) == D(2025, 12, 1)


@pytest.mark.django_db
def test_overdue_rectification_counts_against_the_unit(org):
    notice = df.RectificationFactory(finding=df.FindingFactory(organization=org, state="notice_issued"),
                                     deadline=D(2026, 11, 1))
    from disclosure.models import Rectification

    Rectification.objects.filter(pk=notice.pk).update(
        state=RectificationState.CLOSED, closed_on=D(2026, 11, 5),
        issued_at=datetime.datetime(2026, 10, 20, tzinfo=datetime.UTC))
    record = selectors.inspection_record_for([org.pk], today=D(2026, 11, 25))
    assert record[org.pk]["rectifications_overdue"] == 1
    assert record[org.pk]["rectifications_open"] == 0
