"""Backup and restore round-trip a database and its uploads into an empty database and storage."""
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from .helpers import free_port

ROOT = Path(__file__).resolve().parents[2]

MAKE_DATA = """
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from qujing_disclosure.core.models import User
User.objects.create_user(username="backup-probe", password="x", role="municipal", is_staff=True)
print(default_storage.save("applications/2026/申报材料.pdf", ContentFile("材料原文 %PDF".encode())))
print(default_storage.save("disclosure/items/notice.txt", ContentFile(b"notice")))
"""

READ_BACK = """
from django.core.files.storage import default_storage
from qujing_disclosure.core.models import User
print(User.objects.filter(username="backup-probe").count())
print(default_storage.open("applications/2026/申报材料.pdf").read().decode())
"""


def manage(env, *args, check=True):
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def base_env(**values):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DJANGO_SETTINGS_MODULE": "qujing_disclosure.settings",
           "CELERY_TASK_ALWAYS_EAGER": "true"}
    env.update(values)
    return env


def round_trip(source, target, archive):
    manage(source, "migrate", "--noinput", "-v", "0")
    made = manage(source, "shell", "-v", "0", "-c", MAKE_DATA).stdout.split()
    assert made[0] == "applications/2026/申报材料.pdf"
    out = manage(source, "backup", "-o", str(archive)).stdout
    assert "2 uploads" in out
    restored = manage(target, "restore", str(archive)).stdout
    assert "2 uploads" in restored
    assert manage(target, "shell", "-v", "0", "-c", READ_BACK).stdout.split() == ["1", "材料原文", "%PDF"]
    # Refuses to restore over what is now there.
    again = manage(target, "restore", str(archive), check=False)
    assert again.returncode != 0 and "the database is not empty" in again.stderr


def test_round_trip_on_sqlite_and_disk(tmp_path):
    source = base_env(DATABASE_URL=f"sqlite:///{tmp_path}/src.sqlite3", MEDIA_ROOT=str(tmp_path / "src-media"),
                      STATE_DIR=str(tmp_path / "src"))
    target = base_env(DATABASE_URL=f"sqlite:///{tmp_path}/dst.sqlite3", MEDIA_ROOT=str(tmp_path / "dst-media"),
                      STATE_DIR=str(tmp_path / "dst"))
    round_trip(source, target, tmp_path / "qujing.tar")


@pytest.fixture
def moto_s3():
    import shutil
    import time

    import boto3

    binary = shutil.which("moto_server") or str(Path(sys.executable).with_name("moto_server"))
    port = free_port()
    process = subprocess.Popen([binary, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=url, aws_access_key_id="k", aws_secret_access_key="s", region_name="us-east-1")
    for _ in range(100):
        try:
            client.list_buckets()
            break
        except Exception:  # noqa: BLE001 - still starting
            time.sleep(0.1)
    client.create_bucket(Bucket="src")
    client.create_bucket(Bucket="dst")
    yield url
    process.terminate()
    process.wait(10)


@pytest.mark.postgres
def test_round_trip_on_postgresql_and_s3(tmp_path, moto_s3):
    import psycopg2
    from urllib.parse import urlsplit

    server = urlsplit(os.environ["DATABASE_URL"])
    names = [f"qujing_backup_{kind}_{uuid.uuid4().hex[:8]}" for kind in ("src", "dst")]
    admin = psycopg2.connect(host=server.hostname, port=server.port or 5432, user=server.username or "postgres",
                             password=server.password, dbname="postgres")
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            for name in names:
                cursor.execute(f'CREATE DATABASE "{name}"')

        def env(name, bucket):
            return base_env(DATABASE_URL=server._replace(path=f"/{name}").geturl(), MEDIA_STORAGE="s3", S3_BUCKET=bucket,
                            S3_ENDPOINT_URL=moto_s3, S3_ACCESS_KEY_ID="k", S3_SECRET_ACCESS_KEY="s", S3_REGION="us-east-1",
                            STATE_DIR=str(tmp_path / name))

        round_trip(env(names[0], "src"), env(names[1], "dst"), tmp_path / "qujing.tar")
    finally:
        with admin.cursor() as cursor:
            for name in names:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
