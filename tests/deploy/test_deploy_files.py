"""The service files, image and compose file name the same commands (checked statically: no
Docker on the CI machine), and that command knows every role."""
import configparser
import re
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
ROLES = ("web", "worker", "beat")


def unit(name):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.read(DEPLOY / "systemd" / name)
    return parser


def test_systemd_units_run_scripts_serve_with_their_role():
    for role in (*ROLES, "release"):
        service = unit(f"qujing-{role}.service")["Service"]
        assert service["ExecStart"] == f"/srv/qujing/app/scripts/serve {role}"
        assert service["EnvironmentFile"] == "/etc/qujing/qujing.env"
        assert service["User"] == "qujing"
        assert service["ReadWritePaths"] == "/var/lib/qujing"
    for role in ROLES:
        assert unit(f"qujing-{role}.service")["Service"]["Restart"] == "always"
    # A worker's warm shutdown lets a running task finish (CELERY_TASK_TIME_LIMIT 600 s).
    assert int(unit("qujing-worker.service")["Service"]["TimeoutStopSec"]) > 600


def test_compose_runs_the_same_commands_with_pinned_servers():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    for role in (*ROLES, "release"):
        assert services[role]["command"] == [role]
        assert services[role]["build"]["dockerfile"] == "deploy/Dockerfile"
    for server in ("postgres", "redis", "proxy"):
        image = services[server]["image"]
        assert re.fullmatch(r"[a-z]+:\d+\.\d+(\.\d+)?-bookworm", image), image
    assert "--appendonly" in services["redis"]["command"]
    assert services["web"]["depends_on"]["release"]["condition"] == "service_completed_successfully"
    assert services["web"]["environment"]["MEDIA_DELIVERY"] == "x-accel"


def test_the_image_enters_through_scripts_serve():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["scripts/serve"]' in dockerfile
    assert 'CMD ["web"]' in dockerfile
    assert "pip install -r requirements.txt" in dockerfile and "requirements-dev" not in dockerfile
    assert "/ping" in dockerfile


def test_scripts_serve_knows_every_role_and_refuses_others():
    script = (ROOT / "scripts" / "serve").read_text()
    for role in (*ROLES, "release"):
        assert f"\n  {role})" in script
    result = subprocess.run([str(ROOT / "scripts" / "serve"), "nonsense"], capture_output=True, text=True)
    assert result.returncode == 2 and "usage" in result.stderr


def test_nginx_sites_forward_the_client_and_keep_protected_media_internal():
    from django.conf import settings

    for name in ("qujing.conf", "compose.conf"):
        conf = (DEPLOY / "nginx" / name).read_text()
        assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in conf
        assert "proxy_set_header X-Forwarded-Proto" in conf
        block = conf.split(f"location {settings.MEDIA_ACCEL_PREFIX} {{", 1)[1].split("}", 1)[0]
        assert "internal;" in block and "alias /var/lib/qujing/media/;" in block


def test_production_requirements_hold_no_test_tools_and_pin_the_servers():
    runtime = (ROOT / "requirements.txt").read_text().lower()
    for tool in ("pytest", "hypothesis", "factory", "playwright", "moto", "time-machine", "import-linter"):
        assert tool not in runtime
    for server in ("gunicorn", "celery[redis]", "django", "psycopg2-binary", "redis"):
        assert re.search(rf"^{re.escape(server)}==\d", runtime, flags=re.M), server
