"""gunicorn settings for `scripts/serve web` (read from the environment, README "Configuration")."""
import os

bind = os.environ.get("WEB_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", "2"))
# A request that takes longer is killed (its worker restarted); pages answer in milliseconds.
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (bounded memory growth), staggered so they never restart together.
max_requests = 2000
max_requests_jitter = 200
# Logs go to standard error: the journal under systemd, `docker logs` in a container.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Django reads the client address itself (TRUSTED_PROXY_COUNT); gunicorn need not rewrite it.
forwarded_allow_ips = "127.0.0.1"
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"  # heartbeat files off a possibly slow or read-only disk
