"""Fixtures the disclosure tests share: an organisation's carrier and catalogue entry, and the worlds
several test modules read (items on public display, an item on two carriers, a late item, …)."""
import pytest

from disclosure import jobs
from disclosure.enums import CarrierKind, Field, ItemState, Scope, TimeType
from disclosure.models import Finding
from tests import factories as f
from tests.disclosure import factories as df
from tests.disclosure.helpers import D


@pytest.fixture
def carrier(org):
    return df.CarrierFactory(organization=org, name="办公楼大厅公开栏")


@pytest.fixture
def entry(org, carrier):
    e = df.EntryFactory(organization=org, title="党费收缴情况")
    e.carriers.set([carrier])
    return e


@pytest.fixture
def other_entry(other_org):
    return df.EntryFactory(organization=other_org, title="沾益区某支部党费收缴")


@pytest.fixture
def org_user_b(org):
    """A second user of the same organisation."""
    return f.organization_user(org, username="org_user_b")


@pytest.fixture
def other_org_user(other_org):
    return f.organization_user(other_org, username="other_org_user")


@pytest.fixture
def shown(org, entry):
    """One item in every condition: only the external one on display may reach the public (R13)."""
    internal_entry = df.EntryFactory(organization=org, scope=Scope.INTERNAL, forms=["meeting"], title="党员大会")
    return {
        "external": df.published_item(D(2026, 11, 3), entry=entry, title="对外公开：党费收缴情况"),
        "internal": df.published_item(D(2026, 11, 3), entry=internal_entry, scope=Scope.INTERNAL, title="对内公开：组织生活会"),
        "draft": df.ItemFactory(entry=entry, title="草稿事项"),
        "approved": df.ItemFactory(entry=entry, state=ItemState.APPROVED, title="待发布事项"),
        "archived": df.ItemFactory(entry=entry, state=ItemState.ARCHIVED, published_on=D(2026, 1, 2), title="已归档事项"),
    }


@pytest.fixture
def archived(entry):
    return df.ItemFactory(entry=entry, state=ItemState.ARCHIVED, published_on=D(2026, 1, 2), title="已归档事项")


@pytest.fixture
def web_page(org):
    return df.CarrierFactory(organization=org, kind=CarrierKind.WEB_PAGE, name="党务公开网页专栏", location="",
                             url="https://dwgk.example.cn/org/1/")


@pytest.fixture
def unused(org):
    """A carrier of the same organisation the item does not use."""
    return df.CarrierFactory(organization=org, name="后院宣传栏", location="后院")


@pytest.fixture
def on_two_carriers(entry, carrier, web_page):
    """A published external item on two carriers (the board and the web page)."""
    return df.published_item(D(2026, 6, 2), entry=entry, carriers=[carrier, web_page], title="6月重要情况通报")


@pytest.fixture
def late(entry):
    """Asked for 2 June to 17 June, published only on 12 June: on display until 27 June (R17)."""
    return df.published_item(D(2026, 6, 12), entry=entry, publish_on=D(2026, 6, 2), display_until=D(2026, 6, 17),
                             title="迟发的重要情况通报")


@pytest.fixture
def long_term_elsewhere(org, carrier):
    """The unit's service guide: a long-term item of ANOTHER catalogue entry, on display."""
    guide = df.EntryFactory(organization=org, title="为民服务事项及办事指南", time_type=TimeType.LONG_TERM)
    guide.carriers.set([carrier])
    return df.published_item(D(2026, 1, 5), entry=guide, display_until=None, time_type=TimeType.LONG_TERM,
                             title="办事指南（长期公开）")


@pytest.fixture
def service_entry(org, carrier):
    """A service-disclosure entry (R12 统筹兼顾) on a board, a kiosk and a retired board."""
    kiosk = df.CarrierFactory(organization=org, kind=CarrierKind.KIOSK, name="党群服务中心信息岛", location="服务中心门口")
    retired = df.CarrierFactory(organization=org, name="旧公开栏", location="后院", is_active=False)
    entry = df.EntryFactory(organization=org, title="为民服务事项及办事指南", field=Field.SERVICE)
    entry.carriers.set([carrier, kiosk, retired])
    return entry


@pytest.fixture
def two_counties(org, other_org, entry, other_entry):
    df.published_item(D(2026, 11, 2), entry=entry, title="麒麟区事项")
    df.published_item(D(2026, 11, 3), entry=other_entry, title="沾益区事项")
    return org, other_org


@pytest.fixture
def missed(org, entry):
    """The finding the 11th check records for `entry` in June 2026 (nothing published in the window)."""
    jobs.check_missed_entries(today=D(2026, 6, 11))
    return Finding.objects.get(entry=entry)


@pytest.fixture
def notice(org):
    return df.RectificationFactory(finding=df.FindingFactory(organization=org, state="notice_issued"))
