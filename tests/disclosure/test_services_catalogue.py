"""services.catalogue: carriers (R12: what locates them), catalogue entries (R12, R13) and the standard
categories; every edit records old and new values, nothing when nothing changed."""
import pytest

from disclosure import services
from disclosure.enums import Field
from disclosure.models import Carrier, Category
from qujing_disclosure.core.audit import history_for
from qujing_disclosure.core.errors import DomainError, NotPermitted
from tests.disclosure import factories as df


@pytest.mark.django_db
def test_r12_catalogue_entry_and_carrier_of_own_organisation(org_user, org, other_org_user):
    carrier = services.carrier_create(actor=org_user, organization_id=org.pk, kind="web_page", name="门户网站党务公开专栏",
                                      url="https://example.org/dwgk")
    category = df.CategoryFactory()
    entry = services.entry_create(actor=org_user, organization_id=org.pk, category_id=category.pk,
                                  title="重大决策事项", scope="external", time_type="staged", cadence="quarterly",
                                  forms=["website"], carrier_ids=[carrier.pk])
    assert list(entry.carriers.all()) == [carrier]
    with pytest.raises(NotPermitted):
        services.entry_create(actor=other_org_user, organization_id=org.pk, category_id=category.pk, title="x",
                              scope="external", time_type="staged", cadence="monthly")
    services.entry_update(actor=org_user, entry_id=entry.pk, is_active=False)
    entry.refresh_from_db()
    assert entry.is_active is False


@pytest.mark.django_db
def test_entry_field_is_kept_by_the_service(org_user, org):
    category = df.CategoryFactory()
    entry = services.entry_create(actor=org_user, organization_id=org.pk, category_id=category.pk, title="审判执行情况",
                                  scope="external", time_type="staged", cadence="quarterly", field=Field.JUDICIAL)
    assert entry.get_field_display() == "司法公开"


# --- R12: every carrier carries what lets an inspector find it ----------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("kind,field,message", [
    ("board", "location", "公开栏须填写“位置”，便于群众找到、检查人员核查（R12）。"),
    ("screen", "location", "电子显示屏须填写“位置”，便于群众找到、检查人员核查（R12）。"),
    ("kiosk", "location", "信息岛须填写“位置”，便于群众找到、检查人员核查（R12）。"),
    ("web_page", "url", "网页须填写“网址”，便于群众找到、检查人员核查（R12）。"),
    ("account", "handle", "微博/微信公众号须填写“账号名称”，便于群众找到、检查人员核查（R12）。"),
])
def test_carrier_without_its_locating_information_is_refused(org_user, org, kind, field, message):
    with pytest.raises(DomainError) as exc:
        services.carrier_create(actor=org_user, organization_id=org.pk, kind=kind, name="党务公开载体", location="  ")
    assert (exc.value.field, exc.value.rule, str(exc.value.message)) == (field, "R12", message)
    assert Carrier.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("kind,values", [
    ("board", {"location": "社区服务中心一楼"}),
    ("screen", {"location": "便民服务大厅"}),
    ("kiosk", {"location": "党群服务中心门口"}),
    ("web_page", {"url": "https://dwgk.example.cn/org/1/"}),
    ("account", {"handle": "白石江社区（微信号 bsj_dwgk）"}),
    ("sms", {}),
    ("other", {}),
])
def test_carrier_with_its_locating_information_is_registered(org_user, org, kind, values):
    carrier = services.carrier_create(actor=org_user, organization_id=org.pk, kind=kind, name="党务公开载体", **values)
    assert {name: getattr(carrier, name) for name in values} == values


@pytest.mark.django_db
def test_carrier_update_cannot_drop_the_location_but_may_retire_the_carrier(org_user, carrier):
    with pytest.raises(DomainError) as exc:
        services.carrier_update(actor=org_user, carrier_id=carrier.pk, location="")
    assert (exc.value.field, exc.value.code) == ("location", "locating_required")
    with pytest.raises(DomainError) as exc:
        services.carrier_update(actor=org_user, carrier_id=carrier.pk, kind="web_page")
    assert (exc.value.field, exc.value.code) == ("url", "locating_required")
    Carrier.objects.filter(pk=carrier.pk).update(location="")  # a carrier registered before the rule
    assert services.carrier_update(actor=org_user, carrier_id=carrier.pk, is_active=False).is_active is False


# --- edits: old and new values ----------------------------------------------------------


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
