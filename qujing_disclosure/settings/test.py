"""Settings for the test suite: fast hashing, eager Celery, in-memory e-mail, a temp state folder.

The suite's state (uploads, the filesystem broker's folders) lives in a fresh temporary folder,
never in the checkout; creating it here is the test settings' business, not base.py's.
"""
import tempfile
from pathlib import Path

from .base import *  # noqa: F401,F403
from .base import CELERY_BROKER_URL, filesystem_broker_options

STATE_DIR = Path(tempfile.mkdtemp(prefix="qujing-test-state-"))
for _folder in ("media", "broker/out", "broker/processed", "broker/control"):
    (STATE_DIR / _folder).mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = str(STATE_DIR / "media")
CELERY_BROKER_FOLDER = STATE_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem"):
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker_options(CELERY_BROKER_FOLDER)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
AXES_FAILURE_LIMIT = 5
STATIC_ROOT.mkdir(exist_ok=True)  # noqa: F405 - WhiteNoise warns when it is missing
