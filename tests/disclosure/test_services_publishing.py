"""services.publishing: the one way items go on display (R14 step 2, R16), shared by the organisation's
"publish now" and the publish job, with superseding (R15) and the same audit record either way."""
import pytest

from disclosure import jobs, services
from disclosure.enums import ItemState, TimeType
from disclosure.models import Item
from qujing_disclosure.core.audit import history_for
from qujing_disclosure.core.errors import DomainError
from tests.disclosure import factories as df
from tests.disclosure.helpers import D, approve, at, make_item


@pytest.mark.django_db
def test_r16_manual_publish_refused_outside_window(org_user, county_user, entry):
    with at(D(2026, 5, 20)):
        item = make_item(org_user, entry)
        approve(item, org_user, county_user)
    with at(D(2026, 6, 11)):
        with pytest.raises(DomainError) as exc:
            services.item_publish(actor=org_user, item_id=item.pk)
    assert (exc.value.rule, exc.value.code) == ("R16", "outside_window")
    assert "2026-07-01" in str(exc.value)
    with at(D(2026, 7, 1)):
        item = services.item_publish(actor=org_user, item_id=item.pk)
    assert item.state == ItemState.PUBLISHED
    assert item.published_on == D(2026, 7, 1)
    assert item.on_time is False


def approved_through_services(org_user, county_user, entry, **kw):
    kw.setdefault("title", "2026年5月党费收缴情况")
    kw.setdefault("content", "应缴12人，实缴12人。")
    kw.setdefault("publish_on", D(2026, 6, 3))
    kw.setdefault("display_until", D(2026, 6, 30))
    item = services.item_create(actor=org_user, entry_id=entry.pk, **kw)
    services.item_submit(actor=org_user, item_id=item.pk)
    services.item_initial_review(actor=org_user, item_id=item.pk, approve=True, check_content=True,
                                 check_scope=True, check_form=True, check_timing=True)
    return services.item_review(actor=county_user, item_id=item.pk, approve=True)


def _history(item):
    """What a reader of the item's history sees, without who did it and when."""
    return [(e.action, e.from_state, e.to_state, e.reason, e.data) for e in history_for(item)]


@pytest.mark.django_db
def test_published_by_hand_and_by_job_have_the_same_history_apart_from_the_actor(org_user, county_user, entry):
    with at(D(2026, 5, 20)):
        by_hand = approved_through_services(org_user, county_user, entry)
        by_job = approved_through_services(org_user, county_user, entry)
    with at(D(2026, 6, 3)):
        services.item_publish(actor=org_user, item_id=by_hand.pk)
        assert jobs.publish_due_items().ids == [by_job.pk]
    assert _history(by_hand) == _history(by_job)
    assert _history(by_hand)[-1] == ("disclosure.item.publish", "approved", "published", "",
                                     {"changes": {"published_on": {"old": None, "new": "2026-06-03"}}})
    assert [e.actor for e in history_for(by_hand)][-1] == org_user
    assert [e.actor for e in history_for(by_job)][-1] is None
    hand, job = Item.objects.get(pk=by_hand.pk), Item.objects.get(pk=by_job.pk)
    assert (hand.state, hand.published_on) == (job.state, job.published_on) == (ItemState.PUBLISHED, D(2026, 6, 3))


@pytest.mark.django_db
def test_superseding_a_long_term_item_is_recorded_the_same_by_hand_and_by_job(org_user, county_user, entry):
    old_hand = df.published_item(D(2026, 1, 5), entry=entry, display_until=None, time_type=TimeType.LONG_TERM)
    old_job = df.published_item(D(2026, 1, 5), entry=entry, display_until=None, time_type=TimeType.LONG_TERM)
    with at(D(2026, 5, 20)):
        new_hand = approved_through_services(org_user, county_user, entry, time_type=TimeType.LONG_TERM,
                                             display_until=None, previous_id=old_hand.pk)
        new_job = approved_through_services(org_user, county_user, entry, time_type=TimeType.LONG_TERM,
                                            display_until=None, previous_id=old_job.pk)
    with at(D(2026, 6, 3)):
        services.item_publish(actor=org_user, item_id=new_hand.pk)
        jobs.publish_due_items()
    assert Item.objects.get(pk=old_hand.pk).superseded is Item.objects.get(pk=old_job.pk).superseded is True
    assert _history(old_hand) == _history(old_job) == [
        ("disclosure.item.supersede", "", "", "", {"changes": {"superseded": {"old": False, "new": True}}})]
    (hand_entry,), (job_entry,) = history_for(old_hand), history_for(old_job)
    assert (hand_entry.actor, job_entry.actor) == (org_user, None)
    # The supersede row belongs to the same user action as the publication that caused it.
    assert hand_entry.batch == list(history_for(new_hand))[-1].batch


@pytest.mark.django_db
def test_publishing_by_hand_twice_changes_nothing_the_second_time(org_user, county_user, entry):
    with at(D(2026, 5, 20)):
        item = approved_through_services(org_user, county_user, entry)
    with at(D(2026, 6, 3)):
        services.item_publish(actor=org_user, item_id=item.pk)
        services.item_publish(actor=org_user, item_id=item.pk)
    assert [e.action for e in history_for(item)].count("disclosure.item.publish") == 1


@pytest.mark.django_db
def test_a_prompt_item_is_published_by_hand_on_any_day_but_not_before_its_date(org_user, county_user, entry):
    """R16's exception for prompt items, judged by the same rule as the job: any day, once its date has come."""
    with at(D(2026, 6, 20)):
        item = approved_through_services(org_user, county_user, entry, time_type=TimeType.PROMPT,
                                         publish_on=D(2026, 6, 22), display_until=D(2026, 7, 10))
        with pytest.raises(DomainError) as exc:
            services.item_publish(actor=org_user, item_id=item.pk)
    assert (exc.value.code, exc.value.field, str(exc.value)) == ("not_yet_due", "publish_on", "拟公开日期为 2026-06-22，尚未到期。")
    assert jobs.publish_due_items(today=D(2026, 6, 21)).ids == []
    with at(D(2026, 6, 22)):
        assert services.item_publish(actor=org_user, item_id=item.pk).published_on == D(2026, 6, 22)


@pytest.mark.django_db
def test_publication_due_is_the_rule_both_paths_apply(entry):
    staged = df.ItemFactory(entry=entry, state=ItemState.APPROVED, publish_on=D(2026, 6, 3))
    prompt = df.ItemFactory(entry=entry, state=ItemState.APPROVED, publish_on=D(2026, 6, 12), time_type=TimeType.PROMPT)
    df.ItemFactory(entry=entry, state=ItemState.SUBMITTED, publish_on=D(2026, 6, 3))

    def due(today):
        return sorted(Item.objects.filter(services.publication_due(today)).values_list("pk", flat=True))

    assert due(D(2026, 6, 5)) == [staged.pk]
    assert due(D(2026, 6, 10)) == [staged.pk]
    assert due(D(2026, 6, 12)) == [prompt.pk]  # outside the window: prompt items only
    assert due(D(2026, 7, 1)) == sorted([staged.pk, prompt.pk])
