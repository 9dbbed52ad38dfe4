# Everyday targets. `make run` and `make test` are all a fresh machine needs.
PYTHON ?= $(shell command -v python3.13 || command -v python3.12 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

.PHONY: install run test lint format check messages ci clean bench worker
.PHONY: test-e2e e2e-deps lighthouse

$(VENV)/.installed: pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Python 3.12 or newer is needed (Django 6.1).")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25.1"
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt --group dev
	@touch $@

install: $(VENV)/.installed

## run: install, migrate, load the demo content (once), serve http://127.0.0.1:8000
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	$(MANAGE) runserver 127.0.0.1:8000

## worker: run queued background tasks (notification and moderation emails) from the
## database, as production does; `make run` runs them at once instead (DEBUG)
worker: install
	TASKS_BACKEND=database $(MANAGE) trust_upkeep --ensure-schedule
	TASKS_BACKEND=database $(MANAGE) db_worker --queue-name '*' --no-reload

## test: the whole suite on SQLite with the in-process cache
test: install
	$(VENV)/bin/pytest -n 2

## test-e2e: only the browser tests (marked e2e), in Debian's Chromium; a missing
## browser fails here instead of being skipped (apt-get install -y chromium)
test-e2e: install e2e-deps
	@test -x /usr/bin/chromium || { echo "Chromium is missing: apt-get install -y chromium" >&2; exit 1; }
	E2E_REQUIRED=1 $(VENV)/bin/pytest -m e2e -n 2

## lighthouse: Lighthouse's mobile scores of the home, topic, article and search pages, in
## both colour schemes (alone: it simulates a phone from the page's own trace)
lighthouse: install e2e-deps
	@test -x /usr/bin/chromium || { echo "Chromium is missing: apt-get install -y chromium" >&2; exit 1; }
	E2E_REQUIRED=1 $(VENV)/bin/pytest -m lighthouse -p no:randomly tests/e2e/test_lighthouse.py

## e2e-deps: axe-core and the Nu HTML checker (vnu-jar) from npm, as package-lock.json pins them
e2e-deps: node_modules/.e2e-installed

node_modules/.e2e-installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(MANAGE) makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## messages: refresh the Indonesian catalogue and compile it (needs gettext)
messages: install
	$(MANAGE) makemessages -l id --no-obsolete --add-location file -i ".venv/*" -i "bench/*"
	$(MANAGE) compilemessages -l id --ignore ".venv/*"

ci:
	bash .ci/run

## bench: the site under gunicorn on PostgreSQL + Redis, measured with wrk (bench/README.md);
## make bench ARGS="--size large" for a million articles
bench: install
	$(PY) bench/run.py $(ARGS)

clean:
	rm -rf $(VENV) db.sqlite3* test-db*.sqlite3* staticfiles
