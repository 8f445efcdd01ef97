import pytest

from disclosure import demo
from disclosure.enums import FeedbackState, ItemState, RectificationState, Scope
from disclosure.models import (
    CatalogueEntry,
    Exemption,
    Feedback,
    Finding,
    Item,
    Rectification,
)


@pytest.mark.django_db
def test_demo_loads_a_year_of_realistic_disclosure_and_is_idempotent():
    from sites import demo as sites_demo

    sites_demo.load()
    demo.load()
    counts = (CatalogueEntry.objects.count(), Item.objects.count(), Finding.objects.count(), Feedback.objects.count())
    published = Item.objects.exclude(published_on=None)
    on_time = sum(1 for item in published.only("published_on", "due_by") if item.on_time)
    assert 0.8 < on_time / published.count() < 0.99  # most on time, some late
    assert Finding.objects.filter(kind="missed").exists()
    assert Finding.objects.filter(kind="display_breach").exists()
    assert Finding.objects.filter(kind="feedback_overdue", by_job=True, feedback__isnull=False).exists()
    assert Item.objects.filter(state=ItemState.PUBLISHED, scope=Scope.INTERNAL).exists()
    assert set(Feedback.objects.values_list("state", flat=True)) == set(FeedbackState.values)
    assert {RectificationState.ISSUED, RectificationState.REPORTED, RectificationState.CLOSED} <= set(
        Rectification.objects.values_list("state", flat=True))
    assert Exemption.objects.exists()
    unit_states = set(Item.objects.filter(organization__name=demo.UNIT_ORGANIZATION[1]).values_list("state", flat=True))
    assert {ItemState.DRAFT, ItemState.SUBMITTED, ItemState.INITIAL_APPROVED, ItemState.APPROVED, ItemState.RETURNED} <= unit_states
    demo.load()
    assert (CatalogueEntry.objects.count(), Item.objects.count(), Finding.objects.count(), Feedback.objects.count()) == counts
