#!/usr/bin/env bash
# Runs the web server, one Celery worker and one beat process together; Ctrl-C stops all three.
set -euo pipefail
HOST=${1:-127.0.0.1}
PORT=${2:-8000}
PY=.venv/bin/python
CELERY=.venv/bin/celery
STATE_DIR=${STATE_DIR:-var}
export STATE_DIR
mkdir -p "$STATE_DIR/broker/out" "$STATE_DIR/broker/processed" "$STATE_DIR/broker/control" "$STATE_DIR/log" "$STATE_DIR/media"

$CELERY -A qujing_disclosure worker --loglevel=INFO --concurrency=2 >"$STATE_DIR/log/worker.log" 2>&1 &
WORKER=$!
$CELERY -A qujing_disclosure beat --loglevel=INFO >"$STATE_DIR/log/beat.log" 2>&1 &
BEAT=$!
trap 'kill $WORKER $BEAT 2>/dev/null; wait 2>/dev/null' EXIT INT TERM

cat <<MSG

  曲靖市党务公开示范点管理系统 — http://$HOST:$PORT/
  Admin: http://$HOST:$PORT/admin/   Portal: http://$HOST:$PORT/portal/   API docs: http://$HOST:$PORT/api/docs/
  Celery worker and beat are running (logs in $STATE_DIR/log/). Demo logins are printed above.

MSG
DJANGO_DEBUG=${DJANGO_DEBUG:-true} $PY manage.py runserver "$HOST:$PORT" --noreload
