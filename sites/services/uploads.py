"""Checking an uploaded file before it is stored (application materials here; disclosure's proofs reuse it)."""
from __future__ import annotations

import os

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from qujing_disclosure.core.errors import DomainError

ALLOWED_UPLOAD_EXTENSIONS = {
    ".pdf": "PDF",
    ".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".gif": "GIF", ".webp": "WEBP",
    ".doc": "Word", ".docx": "Word", ".xls": "Excel", ".xlsx": "Excel", ".ppt": "PowerPoint", ".pptx": "PowerPoint",
    ".wps": "WPS", ".et": "WPS", ".dps": "WPS",
}
# Leading bytes of each family, so a renamed executable is refused.
_MAGIC = {
    "PDF": (b"%PDF",),
    "JPEG": (b"\xff\xd8\xff",),
    "PNG": (b"\x89PNG\r\n\x1a\n",),
    "GIF": (b"GIF87a", b"GIF89a"),
    "WEBP": (b"RIFF",),
    # OOXML files are zip archives; legacy Office/WPS files are OLE2 compound documents.
    "Word": (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"),
    "Excel": (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"),
    "PowerPoint": (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"),
    "WPS": (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"),
}


def validate_upload(uploaded_file: UploadedFile) -> str:
    """Uploads are PDF, images or Office files, no larger than UPLOAD_MAX_BYTES; returns the file's family.

    Anyone may call it (it writes nothing): forms call it in `clean()` so the message lands on the
    file field, and the services call it again before storing. Refuses with field `file`."""
    name = uploaded_file.name or ""
    extension = os.path.splitext(name)[1].lower()
    family = ALLOWED_UPLOAD_EXTENSIONS.get(extension)
    if family is None:
        raise DomainError(
            _("文件“%(name)s”类型不支持：只接受 PDF、图片（JPG/PNG/GIF/WEBP）和 Office/WPS 文件。") % {"name": name},
            field="file", code="file_type",
        )
    limit = settings.UPLOAD_MAX_BYTES
    if uploaded_file.size > limit:
        raise DomainError(
            _("文件“%(name)s”大小为 %(size).1f MB，超过上限 %(limit).0f MB。")
            % {"name": name, "size": uploaded_file.size / 1048576, "limit": limit / 1048576},
            field="file", code="file_too_large",
        )
    head = uploaded_file.read(8)
    uploaded_file.seek(0)
    if not any(head.startswith(magic) for magic in _MAGIC[family]):
        raise DomainError(
            _("文件“%(name)s”的内容与扩展名不符，请上传真实的 %(family)s 文件。") % {"name": name, "family": family},
            field="file", code="file_content",
        )
    return family
