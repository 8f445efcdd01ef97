"""Helpers shared by the sites tests."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sites import services
from sites.enums import ApplicationState
from tests import factories as f

TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def attach_material(application, user, *, title="申报材料"):
    """Upload a tiny PDF through the service (so it is validated), as a unit must before submitting (R3)."""
    upload = SimpleUploadedFile("材料.pdf", TINY_PDF, content_type="application/pdf")
    return services.application_add_material(actor=user, application_id=application.pk, title=title, uploaded_file=upload)


def submitted_in(round_, jurisdiction, actor):
    """A new unit of `jurisdiction` applies through the services (created, material, submitted) by `actor`."""
    org = f.OrganizationFactory(jurisdiction=jurisdiction)
    app = services.application_create(actor=actor, round_id=round_.pk, organization_id=org.pk,
                                      summary="情况", contact_name="李四", contact_phone="13800000000")
    attach_material(app, actor)
    return services.application_submit(actor=actor, application_id=app.pk)


def application_in(round_, jurisdiction, state):
    """An application of a new unit of `jurisdiction` already in `state` (made directly: for reads)."""
    reason = "材料不全" if state == ApplicationState.REJECTED else ""
    return f.ApplicationFactory(
        round=round_, organization=f.OrganizationFactory(jurisdiction=jurisdiction), state=state, decision_reason=reason
    )


@pytest.fixture
def screened_round(open_round, county, other_county):
    """麒麟区: 2 slots, 3 counted applications (2 recommended, 1 rejected) + a draft and a withdrawn one;
    沾益区: 2 slots, 1 submitted, and 1 designation awarded in this round without an application."""
    for state in (ApplicationState.RECOMMENDED, ApplicationState.RECOMMENDED, ApplicationState.REJECTED,
                  ApplicationState.DRAFT, ApplicationState.WITHDRAWN):
        application_in(open_round, county, state)
    application_in(open_round, other_county, ApplicationState.SUBMITTED)
    f.DesignationFactory(round=open_round, organization=f.OrganizationFactory(jurisdiction=other_county))
    return open_round
