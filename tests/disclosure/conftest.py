import pytest

from tests import factories as f
from tests.disclosure import factories as df


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
