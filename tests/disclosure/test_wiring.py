"""wiring: who may download the app's uploads (R13), registered with core.media."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure.models import Attachment
from tests.disclosure import factories as df


@pytest.mark.django_db
def test_r13_attachment_of_external_item_is_public_internal_is_not(client, shown, org_user):
    def attach(item, name):
        return Attachment.objects.create(item=item, title=name, file=SimpleUploadedFile(name, b"%PDF-1.4 x"),
                                         uploaded_by=org_user)

    public = attach(shown["external"], "public.pdf")
    private = attach(shown["internal"], "private.pdf")
    assert client.get(public.file.url).status_code == 200
    assert client.get(private.file.url).status_code == 404
    client.force_login(org_user)
    assert client.get(private.file.url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role,visible", [
    ("admin", True), ("municipal", True), ("leading", True), ("county_user", True), ("org_user", True),
    ("evaluator", False),
])
def test_the_portal_link_and_dashboard_block_follow_the_portal_permission(request, rf, role, visible):
    from qujing_disclosure.core.portal import portal_links_for

    from disclosure.wiring import dashboard_block

    user = request.getfixturevalue(role)
    assert ("disclosure_portal:home" in [link.url_name for link in portal_links_for(user)]) == visible
    http_request = rf.get("/portal/")
    http_request.user = user
    assert (dashboard_block(http_request) is not None) == visible


@pytest.mark.django_db
@pytest.mark.parametrize("role,label", [("org_user", "待初审"), ("county_user", "待审查"), ("admin", "待审查")])
def test_the_dashboard_counts_what_waits_on_the_users_step(request, rf, entry, role, label):
    from disclosure.wiring import dashboard_block

    df.ItemFactory(entry=entry, state="submitted")
    df.ItemFactory(entry=entry, state="initial_approved")
    http_request = rf.get("/portal/")
    http_request.user = request.getfixturevalue(role)
    _template, context = dashboard_block(http_request)
    assert (context["disclosure_waiting"], str(context["disclosure_waiting_label"])) == (1, label)
