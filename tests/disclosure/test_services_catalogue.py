"""services.catalogue: carriers (R12: what locates them), catalogue entries (R12, R13) and the standard
categories; every edit records old and new values, nothing when nothing changed."""
import pytest

from disclosure import services
from disclosure.models import Category
from qujing_disclosure.core.audit import history_for
from qujing_disclosure.core.errors import NotPermitted
from tests.disclosure import factories as df


def _changes(obj, action):
    return [e.data["changes"] for e in history_for(obj) if e.action == action]


@pytest.mark.django_db
def test_carrier_edit_records_old_and_new_values_and_nothing_when_unchanged(org_user, carrier):
    services.carrier_update(actor=org_user, carrier_id=carrier.pk, location="社区服务中心二楼", maintainer="张三")
    services.carrier_update(actor=org_user, carrier_id=carrier.pk, location="社区服务中心二楼")
    services.carrier_update(actor=org_user, carrier_id=carrier.pk, is_active=False)
    assert _changes(carrier, "disclosure.carrier.update") == [
        {"location": {"old": "办公楼一楼大厅", "new": "社区服务中心二楼"}, "maintainer": {"old": "", "new": "张三"}},
        {"is_active": {"old": True, "new": False}},
    ]


@pytest.mark.django_db
def test_entry_edit_records_old_and_new_values_with_carriers_as_ids(org_user, org, entry, carrier):
    screen = df.CarrierFactory(organization=org, kind="screen", name="大厅电子显示屏", location="一楼大厅")
    services.entry_update(actor=org_user, entry_id=entry.pk, title="党费收缴、使用和管理情况",
                          carrier_ids=[carrier.pk, screen.pk])
    assert _changes(entry, "disclosure.entry.update") == [{
        "title": {"old": "党费收缴情况", "new": "党费收缴、使用和管理情况"},
        "carriers": {"old": [carrier.pk], "new": sorted([carrier.pk, screen.pk])},
    }]
    services.entry_update(actor=org_user, entry_id=entry.pk, carrier_ids=[screen.pk, carrier.pk])
    assert len(_changes(entry, "disclosure.entry.update")) == 1


@pytest.mark.django_db
def test_categories_are_kept_by_the_municipal_office_with_old_and_new_values(municipal, county_user):
    category = services.category_save(actor=municipal, code="example", name="示例类别", sort_order=2)
    services.category_save(actor=municipal, category_id=category.pk, code="example", name="示例类别",
                           sort_order=5, is_active=False)
    assert [e.action for e in history_for(category)] == ["disclosure.category.create", "disclosure.category.update"]
    assert _changes(category, "disclosure.category.update") == [
        {"sort_order": {"old": 2, "new": 5}, "is_active": {"old": True, "new": False}}]
    with pytest.raises(NotPermitted):
        services.category_save(actor=county_user, code="x", name="某类别")
    assert Category.objects.filter(code="x").count() == 0
