"""R12: every carrier carries what lets an inspector find it — a board, screen or kiosk its location,
a web page its address, an account its name/handle — at the service, the portal form and the API."""
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from disclosure import services
from disclosure.models import Carrier
from qujing_disclosure.core.errors import DomainError
from tests.disclosure import factories as df


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
    assert exc.value.field == "location"
    with pytest.raises(DomainError) as exc:
        services.carrier_update(actor=org_user, carrier_id=carrier.pk, kind="web_page")
    assert exc.value.field == "url"
    Carrier.objects.filter(pk=carrier.pk).update(location="")  # a carrier registered before the rule
    assert services.carrier_update(actor=org_user, carrier_id=carrier.pk, is_active=False).is_active is False


@pytest.mark.django_db
def test_portal_form_shows_the_refusal_on_the_field(client, org_user):
    client.force_login(org_user)
    response = client.post(reverse("disclosure_portal:carrier_create"), {"kind": "account", "name": "社区公众号"})
    assert response.status_code == 200
    assert response.context["form"].errors["handle"] == ["微博/微信公众号须填写“账号名称”，便于群众找到、检查人员核查（R12）。"]
    response = client.post(reverse("disclosure_portal:carrier_create"),
                           {"kind": "account", "name": "社区公众号", "handle": "bsj_dwgk"})
    assert response.status_code == 302
    assert Carrier.objects.get().handle == "bsj_dwgk"


@pytest.mark.django_db
def test_api_refusal_is_400_on_the_field(org_user):
    client = APIClient()
    client.force_authenticate(org_user)
    response = client.post("/api/v1/disclosure/carriers/", {"kind": "web_page", "name": "门户网站专栏"}, format="json")
    assert response.status_code == 400
    assert response.json()["url"] == ["网页须填写“网址”，便于群众找到、检查人员核查（R12）。"]
    created = client.post("/api/v1/disclosure/carriers/", {"kind": "kiosk", "name": "信息岛", "location": "大厅"},
                          format="json")
    assert created.status_code == 201
    assert created.json()["location"] == "大厅"


@pytest.mark.django_db
def test_catalogue_and_public_page_show_an_accounts_handle(client, org_user, org):
    account = df.CarrierFactory(organization=org, kind="account", name="社区微信公众号", location="", handle="bsj_dwgk")
    client.force_login(org_user)
    row = client.get(reverse("disclosure_portal:catalogue")).content.decode().split(f'id="carrier-{account.pk}"', 1)[1]
    assert "账号：bsj_dwgk" in row.split("</tr>", 1)[0]
    public = client.get(reverse("disclosure_public:organization", args=[org.pk])).content.decode()
    assert "微博/微信公众号：社区微信公众号（bsj_dwgk）" in public
