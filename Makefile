# Quick start: `make run` (serves the app with demo data on http://127.0.0.1:8000)
#              `make test` (sets up and runs the whole test suite)
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Local state of the embedded defaults (SQLite, broker folder, uploads); settings never create it.
STATE_DIR ?= var
export STATE_DIR

.PHONY: run test setup state deps test-deps browser-deps migrate demo worker messages bench check clean

$(VENV)/.deps-stamp: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

deps: $(VENV)/.deps-stamp

state:
	mkdir -p $(STATE_DIR)/media $(STATE_DIR)/log $(STATE_DIR)/broker/out $(STATE_DIR)/broker/processed $(STATE_DIR)/broker/control

setup: deps state
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0

demo: setup
	$(PY) manage.py load_demo

# Serves the app with its Celery worker and beat (embedded filesystem broker, SQLite).
run: demo
	@bash scripts/run-dev.sh $(HOST) $(PORT)

# Chromium and a CJK font for the browser tests, from Debian's packages.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi 'WenQuanYi Micro Hei'; then \
		echo "Installing Chromium and fonts-wqy-microhei (Debian packages)..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	fi

test: deps state browser-deps
	$(PY) manage.py makemigrations --check --dry-run >/dev/null
	$(PY) -m pytest $(PYTEST_ARGS)

messages:
	$(PY) manage.py makemessages -l en --no-location --ignore '.venv/*' --ignore 'var/*' --ignore 'staticfiles/*' --ignore 'test-artifacts/*' --ignore 'bench/*'
	$(PY) manage.py compilemessages --ignore '.venv/*'

bench: deps
	$(PY) bench/run_all.py

check: deps
	$(PY) manage.py check
	DJANGO_SETTINGS_MODULE=qujing_disclosure.settings.production DJANGO_SECRET_KEY=$$(openssl rand -hex 32) \
		DJANGO_ALLOWED_HOSTS=example.org REDIS_URL=redis://127.0.0.1:6379/1 CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \
		MEDIA_STORAGE=filesystem MEDIA_ROOT=/srv/qujing/media $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf var staticfiles
