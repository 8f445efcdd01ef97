import pytest
from django.db.models import F

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


# --- variety (R12 统筹兼顾, R13 carriers, R14 proof, R15 series, R20 exchanges) -----------------------------
@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """The sites and disclosure demo loaded once for these tests, rolled back afterwards."""
    from django.db import transaction

    from sites import demo as sites_demo

    with django_db_blocker.unblock(), transaction.atomic():
        sites_demo.load()
        demo.load()
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_demo_catalogues_cover_every_field(demo_loaded):
    from disclosure.enums import Field

    assert set(CatalogueEntry.objects.values_list("field", flat=True)) == set(Field.values)
    assert set(Item.objects.exclude(published_on=None).values_list("field", flat=True)) == set(Field.values)


@pytest.mark.django_db
def test_demo_carriers_are_of_several_kinds_and_each_can_be_found(demo_loaded):
    from disclosure.enums import CarrierKind
    from disclosure.models import Carrier
    from disclosure.enums import CARRIER_LOCATING_FIELD

    kinds = set(Carrier.objects.values_list("kind", flat=True))
    assert {CarrierKind.BOARD, CarrierKind.WEB_PAGE, CarrierKind.SCREEN, CarrierKind.KIOSK, CarrierKind.ACCOUNT} <= kinds
    for kind, field in CARRIER_LOCATING_FIELD.items():
        assert not Carrier.objects.filter(kind=kind, **{field: ""}).exists()  # R12: locating information
    unit_kinds = set(Carrier.objects.filter(organization__name=demo.UNIT_ORGANIZATION[1]).values_list("kind", flat=True))
    assert {CarrierKind.BOARD, CarrierKind.WEB_PAGE, CarrierKind.SCREEN, CarrierKind.KIOSK, CarrierKind.ACCOUNT} <= unit_kinds


@pytest.mark.django_db
def test_demo_external_items_name_their_carriers_and_inspected_ones_have_proof(demo_loaded):
    from disclosure.selectors import carriers_without_evidence

    external = Item.objects.filter(scope=Scope.EXTERNAL).exclude(published_on=None)
    assert not external.filter(carriers=None).exists()
    inspected = list(Item.objects.filter(inspection_result="passed").order_by("id"))
    assert len(inspected) > 100
    assert [item.pk for item in inspected[::25] if carriers_without_evidence(item)] == []
    assert Item.objects.filter(inspection_result="passed", scope=Scope.EXTERNAL, evidence=None).count() == 0
    assert Item.objects.filter(inspection_result="passed", scope=Scope.INTERNAL, evidence=None).count() == 0


@pytest.mark.django_db
def test_demo_has_repeated_series_and_attachments(demo_loaded):
    from disclosure.models import Attachment

    linked = Item.objects.exclude(previous=None).select_related("previous")
    assert linked.count() >= 10
    for item in linked[:20]:
        assert (item.previous.entry_id, item.previous.scope) == (item.entry_id, item.scope)
        assert item.series_id is not None and item.previous.publish_on < item.publish_on
    assert Item.objects.filter(organization__name=demo.UNIT_ORGANIZATION[1]).exclude(series=None).exists()
    assert Attachment.objects.filter(item__state=ItemState.PUBLISHED, item__scope=Scope.EXTERNAL).count() >= 5


@pytest.mark.django_db
def test_demo_rectifications_carry_their_exchange(demo_loaded):
    from disclosure import selectors
    from qujing_disclosure.core.audit import history_for

    reported_twice = 0
    for notice in Rectification.objects.exclude(state=RectificationState.ISSUED):
        rounds = selectors.rectification_exchange(notice, list(history_for(notice)))
        assert rounds and rounds[-1]["report"] == notice.report
        reported_twice += len(rounds) > 1
    assert reported_twice >= 2
    unit_notice = Rectification.objects.get(organization__name=demo.UNIT_ORGANIZATION[1], finding__kind="evidence")
    rounds = selectors.rectification_exchange(unit_notice, list(history_for(unit_notice)))
    assert [r["outcome"] for r in rounds] == ["returned", None]


# Every audit action the disclosure services and jobs write (the demo may write no other).
PRODUCTION_ACTIONS = {
    "disclosure.carrier.create", "disclosure.carrier.update", "disclosure.category.create", "disclosure.category.update",
    "disclosure.entry.create", "disclosure.entry.update", "disclosure.exemption.create", "disclosure.exemption.review",
    "disclosure.feedback.answer", "disclosure.feedback.handling", "disclosure.feedback.submit",
    "disclosure.finding.dismiss", "disclosure.finding.notice", "disclosure.finding.record",
    "disclosure.item.add_attachment", "disclosure.item.archive", "disclosure.item.create", "disclosure.item.evidence",
    "disclosure.item.initial_return", "disclosure.item.initial_review", "disclosure.item.inspect",
    "disclosure.item.publish", "disclosure.item.review", "disclosure.item.review_return", "disclosure.item.submit",
    "disclosure.item.supersede", "disclosure.item.update", "disclosure.item.withdraw",
    "disclosure.rectification.close", "disclosure.rectification.issue", "disclosure.rectification.report",
    "disclosure.rectification.return", "disclosure.reminder.create",
}


@pytest.mark.django_db
def test_demo_writes_through_the_production_services_and_jobs(demo_loaded):
    """The demo's year reads like a real one: items published by the publish job and archived by the archive
    job (the same audit rows as production), late ones reviewed late, notices issued from their finding,
    feedback received through the public service — and no audit action production does not write."""
    from qujing_disclosure.core.audit import history_for
    from qujing_disclosure.core.models import AuditEntry

    assert set(AuditEntry.objects.filter(action__startswith="disclosure.").values_list("action", flat=True)) \
        <= PRODUCTION_ACTIONS
    archived = Item.objects.filter(state=ItemState.ARCHIVED, entry__organization__name=demo.UNIT_ORGANIZATION[1]) \
        .exclude(published_on__gt=F("due_by")).order_by("id").first()
    assert [(e.action, e.actor, e.from_state, e.to_state, e.data) for e in history_for(archived)] == [
        ("disclosure.item.publish", None, "approved", "published",
         {"changes": {"published_on": {"old": None, "new": archived.published_on.isoformat()}}}),
        ("disclosure.item.archive", None, "published", "archived",
         {"job": "archive_ended_items", "date": archived.ended_on.isoformat()}),
    ]
    late = Item.objects.filter(published_on__gt=F("due_by"), time_type="staged").order_by("id").first()
    assert [e.action for e in history_for(late)][:2] == ["disclosure.item.review", "disclosure.item.publish"]
    assert late.published_on.day <= 10  # R16: even a late item goes on display in a window
    notice = Rectification.objects.exclude(state=RectificationState.ISSUED).order_by("id").first()
    assert [e.action for e in history_for(notice.finding)][-1] == "disclosure.finding.notice"
    assert [e.action for e in history_for(notice)][:2] == ["disclosure.rectification.issue",
                                                           "disclosure.rectification.report"]
    feedback = Feedback.objects.order_by("id").first()
    assert [e.action for e in history_for(feedback)][0] == "disclosure.feedback.submit"
    assert history_for(feedback).first().created_at.date() == feedback.received_on
