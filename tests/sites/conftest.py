"""Helpers shared by the sites tests."""
from django.core.files.uploadedfile import SimpleUploadedFile

from sites import services

TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def attach_material(application, user, *, title="申报材料"):
    """Upload a tiny PDF through the service (so it is validated), as a unit must before submitting (R3)."""
    upload = SimpleUploadedFile("材料.pdf", TINY_PDF, content_type="application/pdf")
    return services.application_add_material(actor=user, application_id=application.pk, title=title, uploaded_file=upload)
