"""Role × page matrix of the disclosure portal: out of scope is 404, never 403; anonymous goes to login."""
import pytest
from django.urls import reverse

from tests.disclosure import factories as df

ROLES = ["anonymous", "municipal", "leading", "evaluator", "county_user", "other_county_user", "org_user", "other_org_user"]
READERS = {"municipal": 200, "leading": 200, "evaluator": 404, "county_user": 200, "other_county_user": 200,
           "org_user": 200, "other_org_user": 200}
OWN_OBJECT = {"municipal": 200, "leading": 200, "evaluator": 404, "county_user": 200, "other_county_user": 404,
              "org_user": 200, "other_org_user": 404}
ORG_ONLY = {"municipal": 404, "leading": 404, "evaluator": 404, "county_user": 404, "other_county_user": 404,
            "org_user": 200, "other_org_user": 200}
ORG_OWN = {**ORG_ONLY, "other_org_user": 404}
REVIEWERS = {"municipal": 200, "leading": 200, "evaluator": 404, "county_user": 200, "other_county_user": 200,
             "org_user": 404, "other_org_user": 404}
REVIEWERS_OWN = {**REVIEWERS, "other_county_user": 404}
OFFICE = {**REVIEWERS, "leading": 404}

PAGES = [
    ("home", None, READERS),
    ("catalogue", None, READERS),
    ("entry_create", None, ORG_ONLY),
    ("entry_edit", "entry", ORG_OWN),
    ("carrier_create", None, ORG_ONLY),
    ("carrier_edit", "carrier", ORG_OWN),
    ("item_list", None, READERS),
    ("item_create", None, ORG_ONLY),
    ("item_detail", "item", OWN_OBJECT),
    ("item_edit", "item", ORG_OWN),
    ("feedback_list", None, READERS),
    ("feedback_detail", "feedback", OWN_OBJECT),
    ("exemption_list", None, READERS),
    ("exemption_create", None, ORG_ONLY),
    ("exemption_review", "exemption", ORG_OWN),
    ("finding_list", None, REVIEWERS),
    ("finding_create", None, OFFICE),
    ("finding_detail", "finding", REVIEWERS_OWN),
    ("rectification_list", None, READERS),
    ("rectification_detail", "rectification", OWN_OBJECT),
    ("board", None, REVIEWERS),
    ("board_export", None, REVIEWERS),
]


@pytest.fixture
def world(org, entry, carrier, other_org):
    item = df.ItemFactory(entry=entry)
    # The neighbouring county's data exists and must not leak.
    df.ItemFactory(entry=df.EntryFactory(organization=other_org), title="沾益区事项")
    finding = df.FindingFactory(organization=org)
    return {
        "entry": entry, "carrier": carrier, "item": item,
        "feedback": df.FeedbackFactory(organization=org),
        "exemption": df.ExemptionFactory(organization=org),
        "finding": finding,
        "rectification": df.RectificationFactory(finding=df.FindingFactory(organization=org, state="notice_issued")),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,obj,expected", PAGES, ids=[p[0] for p in PAGES])
def test_portal_page_access(request, client, world, role, name, obj, expected):
    url = reverse(f"disclosure_portal:{name}", args=[world[obj].pk] if obj else [])
    if role == "anonymous":
        response = client.get(url)
        assert response.status_code == 302
        assert "/portal/login/" in response["Location"]
        return
    client.force_login(request.getfixturevalue(role))
    assert client.get(url).status_code == expected[role]


@pytest.mark.django_db
def test_county_item_list_never_shows_neighbouring_county(client, world, county_user):
    client.force_login(county_user)
    body = client.get(reverse("disclosure_portal:item_list")).content.decode()
    assert world["item"].title in body
    assert "沾益区事项" not in body


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["submit", "publish", "review", "inspect", "end", "evidence", "initial_review"])
def test_item_actions_of_other_county_are_404(client, world, other_county_user, action):
    client.force_login(other_county_user)
    response = client.post(reverse("disclosure_portal:item_action", args=[world["item"].pk, action]), {})
    assert response.status_code == 404
