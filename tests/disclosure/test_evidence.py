"""Proof of publication per carrier used (R13, R14 step 3): evidence only for the item's own carriers
in use, an external item names at least one carrier before it is submitted or approved, and an
inspection passes only when every carrier of the item has proof."""
import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from disclosure import services
from disclosure.enums import CarrierKind, EvidenceKind, InspectionResult, ItemState, Scope
from disclosure.models import Evidence
from qujing_disclosure.core.errors import DomainError
from tests.disclosure import factories as df

D = datetime.date
SH = ZoneInfo("Asia/Shanghai")


def at(day):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, tzinfo=SH), tick=False)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def web_page(org):
    return df.CarrierFactory(organization=org, kind=CarrierKind.WEB_PAGE, name="党务公开网页专栏", location="",
                             url="https://dwgk.example.cn/org/1/")


@pytest.fixture
def unused(org):
    """A carrier of the same organisation the item does not use."""
    return df.CarrierFactory(organization=org, name="后院宣传栏", location="后院")


@pytest.fixture
def shown(entry, carrier, web_page):
    """A published external item on two carriers (the board and the web page)."""
    return df.published_item(D(2026, 6, 2), entry=entry, carriers=[carrier, web_page], title="6月重要情况通报")


def _record(org_user, item, carrier, **kw):
    kw.setdefault("kind", EvidenceKind.PHOTO)
    kw.setdefault("note", "已拍照存档")
    return services.item_record_evidence(actor=org_user, item_id=item.pk, carrier_id=carrier.pk if carrier else None,
                                         **kw)


# --- evidence only on the item's own carriers in use -------------------------------------------------
@pytest.mark.django_db
def test_evidence_is_accepted_for_a_carrier_the_item_uses(org_user, shown, carrier):
    evidence = _record(org_user, shown, carrier)
    assert (evidence.item_id, evidence.carrier_id) == (shown.pk, carrier.pk)


@pytest.mark.django_db
def test_evidence_is_refused_for_a_carrier_of_the_unit_the_item_does_not_use(org_user, shown, unused):
    with pytest.raises(DomainError) as exc:
        _record(org_user, shown, unused)
    assert exc.value.field == "carrier"
    assert str(exc.value.message) == "“公开载体”只能选择本事项选用的、在用的载体。"
    assert Evidence.objects.count() == 0


@pytest.mark.django_db
def test_evidence_is_refused_for_a_carrier_no_longer_in_use(org_user, shown, web_page):
    services.carrier_update(actor=org_user, carrier_id=web_page.pk, is_active=False)
    with pytest.raises(DomainError) as exc:
        _record(org_user, shown, web_page, kind=EvidenceKind.SCREENSHOT)
    assert exc.value.field == "carrier"


@pytest.mark.django_db
def test_evidence_is_refused_for_another_organisations_carrier(org_user, shown, other_org):
    foreign = df.CarrierFactory(organization=other_org)
    with pytest.raises(DomainError) as exc:
        _record(org_user, shown, foreign)
    assert exc.value.field == "carrier"


@pytest.mark.django_db
def test_internal_item_may_record_minutes_without_a_carrier(org_user, org):
    entry = df.EntryFactory(organization=org, scope=Scope.INTERNAL, forms=["meeting"])
    item = df.published_item(D(2026, 6, 2), entry=entry)
    evidence = _record(org_user, item, None, kind=EvidenceKind.MINUTES, note="支部党员大会记录第12页")
    assert evidence.carrier_id is None


# --- an external item names at least one carrier before it is submitted or approved --------------------
@pytest.mark.django_db
def test_external_item_without_carriers_cannot_be_submitted(org_user, entry):
    with at(D(2026, 5, 20)):
        item = services.item_create(actor=org_user, entry_id=entry.pk, title="t", content="c", carrier_ids=[],
                                    publish_on=D(2026, 6, 3), display_until=D(2026, 6, 30))
        with pytest.raises(DomainError) as exc:
            services.item_submit(actor=org_user, item_id=item.pk)
    assert exc.value.field == "carriers"
    assert exc.value.rule == "R13"
    assert "“公开载体”" in str(exc.value.message)
    item.refresh_from_db()
    assert item.state == ItemState.DRAFT


@pytest.mark.django_db
def test_internal_item_needs_no_carrier(org_user, org):
    entry = df.EntryFactory(organization=org, scope=Scope.INTERNAL, forms=["meeting"])
    with at(D(2026, 5, 20)):
        item = services.item_create(actor=org_user, entry_id=entry.pk, title="t", content="c",
                                    publish_on=D(2026, 6, 3), display_until=D(2026, 6, 30))
        assert services.item_submit(actor=org_user, item_id=item.pk).state == ItemState.SUBMITTED


@pytest.mark.django_db
@pytest.mark.parametrize("step", ["initial_review", "review"])
def test_external_item_whose_carriers_were_retired_cannot_be_approved(org_user, county_user, entry, carrier, step):
    state = ItemState.SUBMITTED if step == "initial_review" else ItemState.INITIAL_APPROVED
    item = df.ItemFactory(entry=entry, state=state)
    assert list(item.carriers.all()) == [carrier]
    services.carrier_update(actor=org_user, carrier_id=carrier.pk, is_active=False)
    with pytest.raises(DomainError) as exc:
        if step == "initial_review":
            services.item_initial_review(actor=org_user, item_id=item.pk, approve=True, check_content=True,
                                         check_scope=True, check_form=True, check_timing=True)
        else:
            services.item_review(actor=county_user, item_id=item.pk, approve=True)
    assert exc.value.field == "carriers"
    item.refresh_from_db()
    assert item.state == state


@pytest.mark.django_db
def test_api_submit_without_carriers_is_400_on_the_carriers_field(org_user, entry):
    item = df.ItemFactory(entry=entry, carriers=[])
    response = api(org_user).post(f"/api/v1/disclosure/items/{item.pk}/submit/")
    assert response.status_code == 400
    assert response.json()["carriers"][0].startswith("对外公开事项须在“公开载体”中至少选择一个")


@pytest.mark.django_db
def test_portal_submit_without_carriers_shows_the_message(client, org_user, entry):
    item = df.ItemFactory(entry=entry, carriers=[])
    client.force_login(org_user)
    response = client.post(reverse("disclosure_portal:item_action", args=[item.pk, "submit"]), follow=True)
    assert "对外公开事项须在“公开载体”中至少选择一个在用的载体" in response.content.decode()


# --- inspection passes only with proof on every carrier ------------------------------------------------
@pytest.mark.django_db
def test_inspection_cannot_pass_while_a_carrier_lacks_proof_and_names_it(org_user, county_user, shown, carrier):
    _record(org_user, shown, carrier)
    with pytest.raises(DomainError) as exc:
        services.item_inspect(actor=county_user, item_id=shown.pk, result=InspectionResult.PASSED)
    assert exc.value.field == "result"
    assert str(exc.value.message) == (
        "以下公开载体尚无公开佐证，不能判定为“合格”：网页·党务公开网页专栏。请先记录佐证，或判定为“存在问题”。"
    )
    shown.refresh_from_db()
    assert shown.inspection_result == ""


@pytest.mark.django_db
def test_inspection_names_every_carrier_without_proof(county_user, shown):
    with pytest.raises(DomainError) as exc:
        services.item_inspect(actor=county_user, item_id=shown.pk, result=InspectionResult.PASSED)
    assert "公开栏·办公楼大厅公开栏、网页·党务公开网页专栏" in str(exc.value.message)


@pytest.mark.django_db
def test_inspection_passes_once_every_carrier_has_proof(org_user, county_user, shown, carrier, web_page):
    _record(org_user, shown, carrier)
    _record(org_user, shown, web_page, kind=EvidenceKind.SCREENSHOT,
            uploaded_file=SimpleUploadedFile("shot.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="image/png"))
    item = services.item_inspect(actor=county_user, item_id=shown.pk, result=InspectionResult.PASSED)
    assert item.inspection_result == InspectionResult.PASSED


@pytest.mark.django_db
def test_a_problem_may_be_recorded_without_proof(county_user, shown):
    item = services.item_inspect(actor=county_user, item_id=shown.pk, result=InspectionResult.PROBLEM,
                                 note="网页专栏未见本期内容")
    assert item.inspection_result == InspectionResult.PROBLEM


@pytest.mark.django_db
def test_api_inspection_refusal_and_evidence_refusal_are_400_with_field(org_user, county_user, shown, unused):
    refused = api(county_user).post(f"/api/v1/disclosure/items/{shown.pk}/inspect/", {"result": "passed"}, format="json")
    assert refused.status_code == 400
    assert "网页·党务公开网页专栏" in refused.json()["result"][0]
    wrong = api(org_user).post(f"/api/v1/disclosure/items/{shown.pk}/evidence/",
                               {"carrier": unused.pk, "kind": "photo", "note": "拍照"}, format="json")
    assert wrong.status_code == 400
    assert wrong.json()["carrier"] == ["“公开载体”只能选择本事项选用的、在用的载体。"]


# --- the item page shows, per carrier, whether proof is recorded -----------------------------------------
def _proof_row(body, carrier):
    return body.split(f'id="proof-{carrier.pk}"', 1)[1].split("</tr>", 1)[0]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["org_user", "county_user", "municipal"])
def test_item_page_shows_proof_per_carrier(request, client, org_user, shown, carrier, web_page, who):
    _record(org_user, shown, carrier, note="大厅公开栏照片")
    client.force_login(request.getfixturevalue(who))
    body = client.get(reverse("disclosure_portal:item_detail", args=[shown.pk])).content.decode()
    board_row, web_row = _proof_row(body, carrier), _proof_row(body, web_page)
    assert "已记录佐证" in board_row and "大厅公开栏照片" in board_row
    assert "尚无佐证" in web_row and "已记录佐证" not in web_row


@pytest.mark.django_db
def test_evidence_form_offers_only_the_items_carriers_in_use(client, org_user, shown, carrier, web_page, unused):
    services.carrier_update(actor=org_user, carrier_id=web_page.pk, is_active=False)
    client.force_login(org_user)
    response = client.get(reverse("disclosure_portal:item_detail", args=[shown.pk]))
    field = response.context["forms"]["evidence"].fields["carrier"]
    assert [c.pk for c in field.queryset] == [carrier.pk]


@pytest.mark.django_db
def test_portal_inspection_refusal_shows_on_the_result_field(client, county_user, shown):
    client.force_login(county_user)
    response = client.post(reverse("disclosure_portal:item_action", args=[shown.pk, "inspect"]),
                           {"result": "passed", "finding_kind": "evidence"})
    assert response.status_code == 400
    errors = response.context["forms"]["inspect"].errors["result"]
    assert errors[0].startswith("以下公开载体尚无公开佐证")
