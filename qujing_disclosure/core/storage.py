"""Where uploads live and how a permitted download reaches the reader.

Every upload's URL is `/media/<name>` whatever the storage, so each download passes the access
check of core.media (`may_download`) in core.views.protected_media. Once permitted, the bytes
travel as MEDIA_DELIVERY says:

- `app`: the app streams the file from the storage (the embedded default);
- `x-accel`: the app answers with `X-Accel-Redirect: MEDIA_ACCEL_PREFIX<name>` and the proxy
  serves the file from an `internal` location (nginx example in deploy/nginx/), so the proxy,
  not a Python worker, sends the bytes;
- `signed`: a redirect to a signed object-storage URL valid for MEDIA_SIGNED_URL_SECONDS
  (the default with MEDIA_STORAGE=s3). The bucket stays private: no object is ever public and no
  page embeds a storage URL that outlives the check.
"""
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.encoding import filepath_to_uri
from django.views.static import serve
from storages.backends.s3 import S3Storage


class ProtectedS3Storage(S3Storage):
    """A private S3-compatible bucket (django-storages) whose URLs point at our access check."""

    default_acl = None  # objects inherit the bucket's private policy; never "public-read"
    querystring_auth = True
    file_overwrite = False  # names stay unique as on disk: a backup never misses an overwritten file

    def __init__(self, **options):
        from botocore.config import Config

        options.setdefault("client_config", Config(
            s3={"addressing_style": options.get("addressing_style") or "path"}, signature_version="s3v4",
            connect_timeout=2, read_timeout=20, retries={"max_attempts": 3, "mode": "standard"},
        ))
        super().__init__(**options)

    def url(self, name, parameters=None, expire=None, http_method=None):
        return settings.MEDIA_URL + filepath_to_uri(name).lstrip("/")

    def signed_url(self, name, expire=None):
        return super().url(name, expire=expire)

    def probe(self, timeout):
        """One HEAD of the bucket with its own short timeouts, for the readiness check."""
        import boto3
        from botocore.config import Config

        client = boto3.session.Session().client(
            "s3", endpoint_url=self.endpoint_url, region_name=self.region_name,
            aws_access_key_id=self.access_key, aws_secret_access_key=self.secret_key,
            config=Config(connect_timeout=timeout, read_timeout=timeout, retries={"max_attempts": 1}),
        )
        client.head_bucket(Bucket=self.bucket_name)


def deliver(storage, name, request=None):
    """The response for a download already permitted by core.media.may_download."""
    mode = settings.MEDIA_DELIVERY
    if mode == "x-accel":
        response = HttpResponse()
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_PREFIX + quote(name)
        del response["Content-Type"]  # the proxy sets it from the file's name
    elif mode == "signed" and hasattr(storage, "signed_url"):
        if not storage.exists(name):
            raise Http404()
        response = HttpResponseRedirect(storage.signed_url(name))
    elif isinstance(storage, FileSystemStorage):
        response = serve(request, name, document_root=storage.location)
    else:
        try:
            handle = storage.open(name, "rb")
        except (FileNotFoundError, OSError) as exc:
            raise Http404() from exc
        response = FileResponse(handle, filename=name.rsplit("/", 1)[-1])
    # A permitted download is this reader's: never cached by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response
