"""R15: a linked series stays within one organisation, one catalogue entry and one scope, and links only
to an item that went into the procedure; an unrelated long-term item cannot be superseded through a
bogus link — at the service, the portal form and the API."""
import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from disclosure import jobs, services
from disclosure.enums import ItemState, Scope, TimeType
from disclosure.models import Item
from qujing_disclosure.core.errors import DomainError
from tests.disclosure import factories as df

D = datetime.date
SH = ZoneInfo("Asia/Shanghai")


def at(day):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, tzinfo=SH), tick=False)


def draft(org_user, entry, **kw):
    kw.setdefault("title", "第二期")
    kw.setdefault("content", "进展情况")
    kw.setdefault("publish_on", D(2026, 6, 3))
    kw.setdefault("display_until", D(2026, 6, 30))
    return services.item_create(actor=org_user, entry_id=entry.pk, **kw)


@pytest.fixture
def long_term_elsewhere(org, carrier):
    """The unit's service guide: a long-term item of ANOTHER catalogue entry, on display."""
    guide = df.EntryFactory(organization=org, title="为民服务事项及办事指南", time_type=TimeType.LONG_TERM)
    guide.carriers.set([carrier])
    return df.published_item(D(2026, 1, 5), entry=guide, display_until=None, time_type=TimeType.LONG_TERM,
                             title="办事指南（长期公开）")


@pytest.mark.django_db
def test_an_unrelated_long_term_item_cannot_be_superseded_through_a_bogus_link(
    org_user, county_user, entry, long_term_elsewhere,
):
    with at(D(2026, 5, 20)), pytest.raises(DomainError) as exc:
        draft(org_user, entry, previous_id=long_term_elsewhere.pk)
    assert exc.value.field == "previous"
    assert str(exc.value.message) == (
        f"“前一期”必须属于同一目录条目“{entry.title}”，所选事项属于“为民服务事项及办事指南”（R15）。"
    )
    assert Item.objects.filter(previous=long_term_elsewhere).count() == 0
    # The unit's real June item, published on its window day, leaves the guide on display.
    with at(D(2026, 5, 20)):
        june = draft(org_user, entry)
        services.item_submit(actor=org_user, item_id=june.pk)
        services.item_initial_review(actor=org_user, item_id=june.pk, approve=True, check_content=True,
                                     check_scope=True, check_form=True, check_timing=True)
        services.item_review(actor=county_user, item_id=june.pk, approve=True)
    jobs.publish_due_items(today=D(2026, 6, 3))
    long_term_elsewhere.refresh_from_db()
    assert (long_term_elsewhere.state, long_term_elsewhere.superseded) == (ItemState.PUBLISHED, False)


@pytest.mark.django_db
def test_previous_of_another_organisation_is_refused(org_user, entry, other_org):
    foreign = df.published_item(D(2026, 5, 3), entry=df.EntryFactory(organization=other_org))
    with at(D(2026, 5, 20)), pytest.raises(DomainError) as exc:
        draft(org_user, entry, previous_id=foreign.pk)
    assert (exc.value.field, str(exc.value.message)) == ("previous", "“前一期”必须是本单位的公开事项（R15）。")


@pytest.mark.django_db
def test_unknown_previous_is_refused_not_a_crash(org_user, entry):
    with at(D(2026, 5, 20)), pytest.raises(DomainError) as exc:
        draft(org_user, entry, previous_id=999999)
    assert exc.value.field == "previous"


@pytest.mark.django_db
def test_previous_with_another_scope_is_refused(org_user, entry):
    internal = df.published_item(D(2026, 5, 3), entry=entry, scope=Scope.INTERNAL, forms=["meeting"], carriers=[])
    with at(D(2026, 5, 20)), pytest.raises(DomainError) as exc:
        draft(org_user, entry, previous_id=internal.pk)
    assert exc.value.field == "previous"
    assert str(exc.value.message) == "“前一期”的公开范围是“对内公开”，与本事项的“对外公开”不同（R15）。"


@pytest.mark.django_db
@pytest.mark.parametrize("state", [ItemState.DRAFT, ItemState.WITHDRAWN])
def test_previous_still_a_draft_or_withdrawn_is_refused(org_user, entry, state):
    earlier = df.ItemFactory(entry=entry, state=state)
    with at(D(2026, 5, 20)), pytest.raises(DomainError) as exc:
        draft(org_user, entry, previous_id=earlier.pk)
    assert exc.value.field == "previous"
    assert str(exc.value.message) == f"“前一期”事项处于“{ItemState(state).label}”状态，不能作为前一期（R15）。"


@pytest.mark.django_db
@pytest.mark.parametrize("state", [ItemState.SUBMITTED, ItemState.APPROVED, ItemState.PUBLISHED, ItemState.ARCHIVED])
def test_previous_of_the_same_entry_in_the_procedure_joins_its_series(org_user, entry, state):
    earlier = df.ItemFactory(entry=entry, state=state, publish_on=D(2026, 5, 3), display_until=D(2026, 5, 30),
                             published_on=D(2026, 5, 3) if state in (ItemState.PUBLISHED, ItemState.ARCHIVED) else None)
    with at(D(2026, 5, 20)):
        item = draft(org_user, entry, previous_id=earlier.pk)
    assert (item.previous_id, item.series_id) == (earlier.pk, earlier.pk)


@pytest.mark.django_db
def test_api_bogus_link_is_400_on_previous(org_user, entry, long_term_elsewhere):
    client = APIClient()
    client.force_authenticate(org_user)
    with at(D(2026, 5, 20)):
        response = client.post("/api/v1/disclosure/items/", {
            "entry": entry.pk, "previous": long_term_elsewhere.pk, "title": "t", "content": "c",
            "publish_on": "2026-06-03", "display_until": "2026-06-30"}, format="json")
    assert response.status_code == 400
    assert response.json()["previous"][0].startswith("“前一期”必须属于同一目录条目")


@pytest.mark.django_db
def test_portal_form_shows_the_refusal_on_previous(client, org_user, entry, long_term_elsewhere):
    client.force_login(org_user)
    with at(D(2026, 5, 20)):
        response = client.post(reverse("disclosure_portal:item_create"), {
            "entry": entry.pk, "previous": long_term_elsewhere.pk, "title": "t", "content": "c", "field": "party",
            "scope": "external", "forms": ["board"], "time_type": "staged", "publish_on": "2026-06-03",
            "display_until": "2026-06-30", "carriers": [c.pk for c in entry.carriers.all()]})
    assert response.status_code == 200
    assert response.context["form"].errors["previous"][0].startswith("“前一期”必须属于同一目录条目")
    assert Item.objects.filter(title="t").count() == 0


@pytest.mark.django_db
def test_portal_form_does_not_offer_drafts_as_previous(client, org_user, entry):
    drafted = df.ItemFactory(entry=entry, title="草稿事项")
    shown = df.published_item(D(2026, 5, 3), entry=entry, title="已公开事项")
    client.force_login(org_user)
    options = list(client.get(reverse("disclosure_portal:item_create")).context["form"].fields["previous"].queryset)
    assert shown in options and drafted not in options


@pytest.mark.django_db
def test_portal_form_links_a_valid_previous_item(client, org_user, entry):
    first = df.published_item(D(2026, 5, 3), entry=entry, title="第一期", time_type=TimeType.REPEATED)
    client.force_login(org_user)
    with at(D(2026, 5, 20)):
        response = client.post(reverse("disclosure_portal:item_create"), {
            "entry": entry.pk, "previous": first.pk, "title": "第二期", "content": "c", "field": "party",
            "scope": "external", "forms": ["board"], "time_type": "repeated", "publish_on": "2026-06-03",
            "display_until": "2026-06-30", "carriers": [c.pk for c in entry.carriers.all()]})
    assert response.status_code == 302
    second = Item.objects.get(title="第二期")
    assert (second.previous_id, second.series_id) == (first.pk, first.pk)
