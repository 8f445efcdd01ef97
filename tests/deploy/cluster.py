"""A private production-like cluster for the drills: its own PostgreSQL cluster, redis-server and
S3 server (moto) on free ports, plus app processes started with `scripts/serve` and the
production settings. Never touches the shared PostgreSQL or Redis of the machine."""
import glob
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from .helpers import free_port

ROOT = Path(__file__).resolve().parents[2]
SECRET = "drill-" + "k" * 60


def missing_tools():
    missing = []
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        missing.append("PostgreSQL server binaries (initdb, pg_ctl)")
    if not shutil.which("redis-server"):
        missing.append("redis-server")
    if not (shutil.which("moto_server") or Path(sys.executable).with_name("moto_server").exists()):
        missing.append("moto_server")
    return missing


def wait_until(predicate, timeout, interval=0.2, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except Exception:  # noqa: BLE001 - not yet
            pass
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class PrivatePostgres:
    def __init__(self, base):
        self.bin = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
        self.dir = os.path.join(base, "pg")
        self.port = free_port()
        os.makedirs(self.dir)
        self.as_postgres = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            shutil.chown(base, "postgres")
            shutil.chown(self.dir, "postgres")
            self.as_postgres = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", f"{self.dir}/data", "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")

    def _run(self, tool, *args):
        subprocess.run([*self.as_postgres, f"{self.bin}/{tool}", *args], check=True, capture_output=True, timeout=120)

    def start(self):
        self._run("pg_ctl", "-D", f"{self.dir}/data", "-l", f"{self.dir}/log", "-w", "-t", "60", "-o",
                  f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60", "start")

    def stop(self):
        self._run("pg_ctl", "-D", f"{self.dir}/data", "-m", "fast", "-w", "stop")

    def restart(self):
        self._run("pg_ctl", "-D", f"{self.dir}/data", "-l", f"{self.dir}/log", "-m", "fast", "-w", "-t", "60", "-o",
                  f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60", "restart")

    def create_database(self, name):
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)

    def url(self, name):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


class PrivateRedis:
    def __init__(self, base):
        self.port = free_port()
        self.dir = os.path.join(base, "redis")
        os.makedirs(self.dir)
        self.process = None

    def start(self):
        # Append-only file as docs/operations.md recommends: queued tasks survive a restart.
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.dir, "--save", "",
             "--appendonly", "yes", "--appendfsync", "always"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import redis

        wait_until(lambda: redis.Redis(port=self.port).ping(), 20, what="redis")

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(20)
            self.process = None

    def client(self, db=0):
        import redis

        return redis.Redis(port=self.port, db=db)


class MotoS3:
    def __init__(self):
        binary = shutil.which("moto_server") or str(Path(sys.executable).with_name("moto_server"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen([binary, "-H", "127.0.0.1", "-p", str(self.port)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: requests.get(self.url, timeout=1).status_code < 500, 30, what="moto_server")
        self.client().create_bucket(Bucket="qujing-drill")

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.url, aws_access_key_id="drill", aws_secret_access_key="drill",
                            region_name="us-east-1")

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


class Process:
    """`scripts/serve <role>` in its own process group, logging to a file."""

    def __init__(self, role, env, log_path):
        self.role, self.log_path = role, log_path
        self.log = open(log_path, "ab")  # noqa: SIM115
        self.process = subprocess.Popen([str(ROOT / "scripts" / "serve"), role], cwd=ROOT, env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)

    def text(self):
        return Path(self.log_path).read_text(errors="replace")

    def kill(self, sig=signal.SIGKILL):
        try:
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:
            pass
        self.process.wait(30)

    def stop(self):
        if self.process.poll() is None:
            self.kill(signal.SIGTERM)
        self.log.close()


class Cluster:
    def __init__(self):
        self.base = tempfile.mkdtemp(prefix="qujing-drill-")
        os.chmod(self.base, 0o755)
        self.pg = PrivatePostgres(self.base)
        self.pg.start()
        self.pg.create_database("qujing")
        self.redis = PrivateRedis(self.base)
        self.redis.start()
        self.s3 = MotoS3()
        self.processes = []
        self.logs = os.path.join(self.base, "logs")
        os.makedirs(self.logs)
        os.chmod(self.logs, 0o777)

    def env(self, **extra):
        python_bin = str(Path(sys.executable).parent)
        env = {
            "PATH": f"{python_bin}:/usr/bin:/bin", "PYTHON": sys.executable, "HOME": self.base,
            "DJANGO_SETTINGS_MODULE": "qujing_disclosure.settings.production",
            "DJANGO_SECRET_KEY": SECRET, "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": self.pg.url("qujing"), "DATABASE_CONNECT_TIMEOUT": "2",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis.port}/1",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{self.redis.port}/0",
            "MEDIA_STORAGE": "s3", "S3_BUCKET": "qujing-drill", "S3_ENDPOINT_URL": self.s3.url,
            "S3_ACCESS_KEY_ID": "drill", "S3_SECRET_ACCESS_KEY": "drill", "S3_REGION": "us-east-1",
            "STATE_DIR": os.path.join(self.base, "state"), "STATIC_ROOT": os.path.join(self.base, "static"),
            "BEAT_LOCK_SECONDS": "6", "CELERY_VISIBILITY_TIMEOUT": "12", "CELERY_TASK_TIME_LIMIT": "10",
            "WEB_WORKERS": "2", "WORKER_CONCURRENCY": "1", "LOG_LEVEL": "INFO",
        }
        env.update(extra)
        return env

    def manage(self, *args, **extra):
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env(**extra),
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def shell(self, code):
        return self.manage("shell", "-v", "0", "-c", code).strip()

    def start(self, role, name=None, **extra):
        name = name or role
        process = Process(role, self.env(**extra), os.path.join(self.logs, f"{name}.log"))
        self.processes.append(process)
        return process

    def web(self, name):
        port = free_port()
        process = self.start("web", name, WEB_BIND=f"127.0.0.1:{port}")
        process.url = f"http://127.0.0.1:{port}"
        wait_until(lambda: requests.get(process.url + "/ping", timeout=1).status_code == 200, 60, what=f"{name} /ping")
        return process

    def close(self):
        for process in self.processes:
            process.stop()
        self.redis.stop()
        self.s3.stop()
        try:
            self.pg.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.base, ignore_errors=True)


class Client:
    """Talks to an app server as the TLS proxy would: X-Forwarded-Proto https and the client address
    appended to X-Forwarded-For. Cookies are kept by hand (they are Secure)."""

    def __init__(self, address="198.51.100.7"):
        self.address = address
        self.cookies = {}

    def request(self, method, url, **kwargs):
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": self.address, **kwargs.pop("headers", {})}
        origin = url.split("/", 3)
        headers.setdefault("Origin", f"https://{origin[2]}")
        headers.setdefault("Referer", f"https://{origin[2]}/")
        response = requests.request(method, url, headers=headers, cookies=dict(self.cookies), allow_redirects=False,
                                    timeout=10, **kwargs)
        for name, value in response.cookies.items():
            self.cookies[name] = value
        return response

    def get(self, url, **kwargs):
        return self.request("GET", url, **kwargs)

    def post(self, url, **kwargs):
        return self.request("POST", url, **kwargs)

    def csrf(self, url):
        import re

        page = self.get(url)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        return match.group(1) if match else ""

    def login(self, server, username, password):
        token = self.csrf(server + "/portal/login/")
        return self.post(server + "/portal/login/", data={"username": username, "password": password,
                                                          "csrfmiddlewaretoken": token})
