"""Backup and restore of the database and the uploads together, as one archive.

`manage.py backup -o FILE.tar` writes a tar archive holding:

- `manifest.json`: format, time, database vendor, the latest migration per app, and the name,
  size and SHA-256 of every upload;
- `database.pgdump` (PostgreSQL, `pg_dump --format=custom`: a consistent snapshot) or
  `database.sqlite3` (SQLite's online backup);
- `media/<name>`: every file of the upload storage (local disk or the S3 bucket alike).

The database is dumped first, then the uploads are copied. Upload names are never reused
(storages never overwrite), so every file a dumped row names is still there when it is copied;
a file uploaded meanwhile is merely one more.

`manage.py restore FILE.tar` loads such an archive into an **empty** database and an **empty**
storage (it refuses otherwise, so it never mixes two states), then checks each file's SHA-256.
"""
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import datetime, timezone

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection

FORMAT = 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    pass


# --- storage walking -----------------------------------------------------------------------------

def storage_files(storage=None, folder=""):
    storage = storage or default_storage
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from storage_files(storage, f"{folder}/{sub}" if folder else sub)


# --- the database --------------------------------------------------------------------------------

def _pg_env_and_args():
    settings = connection.settings_dict
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    args = []
    if settings.get("HOST"):
        args += ["--host", settings["HOST"]]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", settings["USER"]]
    args += ["--dbname", settings["NAME"]]
    return env, args


def _run(command, env):
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def dump_database(target_dir):
    if connection.vendor == "postgresql":
        path = os.path.join(target_dir, "database.pgdump")
        env, args = _pg_env_and_args()
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", path, *args], env)
        return "database.pgdump"
    if connection.vendor == "sqlite":
        path = os.path.join(target_dir, "database.sqlite3")
        connection.ensure_connection()
        destination = sqlite3.connect(path)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        return "database.sqlite3"
    raise BackupError(f"unsupported database vendor {connection.vendor}")


def database_is_empty():
    return not connection.introspection.table_names()


def load_database(path, name):
    if name == "database.pgdump":
        if connection.vendor != "postgresql":
            raise BackupError("this archive holds a PostgreSQL dump; DATABASE_URL names another database")
        env, args = _pg_env_and_args()
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *args, path], env)
    elif name == "database.sqlite3":
        if connection.vendor != "sqlite":
            raise BackupError("this archive holds a SQLite database; DATABASE_URL names another database")
        target = connection.settings_dict["NAME"]
        connection.close()
        source = sqlite3.connect(path)
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            source.close()
            destination.close()
    else:
        raise BackupError(f"unknown database file {name}")
    connection.close()


def latest_migrations():
    from django.db.migrations.recorder import MigrationRecorder

    latest = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


# --- the archive ---------------------------------------------------------------------------------

def backup(output, *, storage=None, log=lambda message: None):
    storage = storage or default_storage
    work = tempfile.mkdtemp(prefix="qujing-backup-")
    try:
        database_file = dump_database(work)
        log(f"database dumped ({connection.vendor})")
        files = {}
        partial = output + ".partial"
        with tarfile.open(partial, "w") as archive:
            archive.add(os.path.join(work, database_file), arcname=database_file)
            for name in storage_files(storage):
                digest = hashlib.sha256()
                with storage.open(name, "rb") as handle, tempfile.TemporaryFile() as copy:
                    for chunk in iter(lambda: handle.read(CHUNK), b""):
                        digest.update(chunk)
                        copy.write(chunk)
                    size = copy.tell()
                    copy.seek(0)
                    info = tarfile.TarInfo(f"media/{name}")
                    info.size = size
                    archive.addfile(info, copy)
                files[name] = {"size": size, "sha256": digest.hexdigest()}
            manifest = {
                "format": FORMAT,
                "created": datetime.now(timezone.utc).isoformat(),
                "database": {"vendor": connection.vendor, "file": database_file, "migrations": latest_migrations()},
                "media": {"count": len(files), "bytes": sum(f["size"] for f in files.values()), "files": files},
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        os.replace(partial, output)
        log(f"{len(files)} upload(s), {manifest['media']['bytes']} bytes")
        return manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


def restore(archive_path, *, storage=None, log=lambda message: None):
    storage = storage or default_storage
    if not database_is_empty():
        raise BackupError("the database is not empty: restore only into a new, empty database (docs/operations.md)")
    if next(iter(storage_files(storage)), None) is not None:
        raise BackupError("the upload storage is not empty: restore only into an empty folder or bucket")
    work = tempfile.mkdtemp(prefix="qujing-restore-")
    try:
        with tarfile.open(archive_path, "r") as archive:
            manifest = json.load(archive.extractfile("manifest.json"))
            if manifest.get("format") != FORMAT:
                raise BackupError(f"unknown archive format {manifest.get('format')}")
            database_file = manifest["database"]["file"]
            archive.extract(database_file, work, filter="data")
            load_database(os.path.join(work, database_file), database_file)
            log("database restored")
            for name, meta in manifest["media"]["files"].items():
                source = archive.extractfile(f"media/{name}")
                saved = storage.save(name, File(source, name=os.path.basename(name)))
                if saved != name:
                    raise BackupError(f"upload {name} was stored as {saved}")
                digest = hashlib.sha256()
                with storage.open(name, "rb") as handle:
                    for chunk in iter(lambda: handle.read(CHUNK), b""):
                        digest.update(chunk)
                if digest.hexdigest() != meta["sha256"]:
                    raise BackupError(f"upload {name} does not match its checksum")
        log(f"{len(manifest['media']['files'])} upload(s) restored and checked")
        return manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)
