"""Uploads in a private S3 bucket (django-storages) or on disk: every URL passes the access check."""
import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.test import override_settings
from moto import mock_aws

from qujing_disclosure.core.storage import ProtectedS3Storage

S3_OPTIONS = {"bucket_name": "qujing-test", "access_key": "k", "secret_key": "s", "region_name": "us-east-1",
              "addressing_style": "path", "querystring_expire": 60}
S3_STORAGES = {"default": {"BACKEND": "qujing_disclosure.core.storage.ProtectedS3Storage", "OPTIONS": S3_OPTIONS},
               "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture
def bucket():
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="qujing-test")
        with override_settings(STORAGES=S3_STORAGES, MEDIA_DELIVERY="signed"):
            yield storages["default"]


def test_s3_urls_point_at_the_access_check_never_at_the_bucket(bucket):
    name = bucket.save("tests-deploy/申报材料.pdf", ContentFile(b"%PDF-1.4"))
    assert bucket.url(name) == "/media/tests-deploy/%E7%94%B3%E6%8A%A5%E6%9D%90%E6%96%99.pdf"
    assert bucket.open(name).read() == b"%PDF-1.4"
    acl = boto3.client("s3", region_name="us-east-1").get_object_acl(Bucket="qujing-test", Key=name)
    assert [g["Permission"] for g in acl["Grants"]] == ["FULL_CONTROL"]  # the owner only: nothing public


def test_s3_names_are_never_overwritten(bucket):
    first = bucket.save("tests-deploy/a.txt", ContentFile(b"1"))
    second = bucket.save("tests-deploy/a.txt", ContentFile(b"2"))
    assert first != second
    assert bucket.open(first).read() == b"1"


@pytest.mark.django_db
def test_a_permitted_download_redirects_to_a_short_signed_url(bucket, client, county_user, media_prefix):
    name = bucket.save("tests-deploy/minutes.pdf", ContentFile(b"minutes"))
    assert client.get(bucket.url(name)).status_code == 404  # anonymous: no access, no signed URL
    client.force_login(county_user)
    response = client.get(bucket.url(name))
    assert response.status_code == 302
    assert "X-Amz-Signature=" in response["Location"] and "X-Amz-Expires=60" in response["Location"]
    assert response["Cache-Control"] == "private, no-store"
    assert client.get("/media/tests-deploy/missing.pdf").status_code == 404


@pytest.mark.django_db
def test_app_delivery_streams_from_the_bucket(bucket, client, county_user, media_prefix):
    name = bucket.save("tests-deploy/photo.txt", ContentFile(b"bytes from s3"))
    client.force_login(county_user)
    with override_settings(MEDIA_DELIVERY="app"):
        response = client.get(bucket.url(name))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"bytes from s3"


@pytest.mark.django_db
def test_x_accel_delivery_hands_the_file_to_the_proxy(client, county_user, media_prefix, settings):
    settings.MEDIA_DELIVERY = "x-accel"
    client.force_login(county_user)
    response = client.get("/media/tests-deploy/%E7%BA%AA%E8%A6%81.pdf")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/_protected_media/tests-deploy/%E7%BA%AA%E8%A6%81.pdf"
    assert "Content-Type" not in response
    assert response.content == b""


@pytest.mark.django_db
def test_disk_delivery_is_unchanged(client, county_user, media_prefix):
    storage = storages["default"]
    assert isinstance(storage, FileSystemStorage)
    name = storage.save("tests-deploy/disk.txt", ContentFile(b"on disk"))
    client.force_login(county_user)
    response = client.get(storage.url(name))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"on disk"


def test_the_storage_probe_reports_a_missing_bucket():
    with mock_aws():
        storage = ProtectedS3Storage(**{**S3_OPTIONS, "bucket_name": "absent"})
        with pytest.raises(Exception, match="404|Not Found"):
            storage.probe(timeout=0.5)
