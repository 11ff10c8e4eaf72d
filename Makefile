# The team's verbs. `make run` and `make test` do all the set-up on a fresh machine.
.DEFAULT_GOAL := help
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FLASK := FLASK_APP=copro_tracker $(VENV)/bin/flask
PYTEST_ARGS ?=
# -n 2 matches the 2-core machines; set PYTEST_WORKERS=0 to run in one process.
PYTEST_WORKERS ?= 2

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  %-12s %s\n",$$1,$$2}'

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/build/app.css: node_modules/.installed $(wildcard static/src/*.scss)
	npm run --silent build

install: $(VENV)/.installed node_modules/.installed static/build/app.css translations ## Install Python and npm packages, build assets

translations: $(VENV)/.installed ## Compile the Welsh (and English) message catalogues
	$(VENV)/bin/pybabel -q compile -d copro_tracker/translations

extract-messages: $(VENV)/.installed ## Refresh the message catalogues from the code and templates
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k _l -k N_ -k Np_:1,2 -k in_language:2 -c Translators: -o copro_tracker/translations/messages.pot .
	$(VENV)/bin/pybabel -q update -i copro_tracker/translations/messages.pot -d copro_tracker/translations

db: install ## Migrate the development database
	$(FLASK) db upgrade

# The job worker (emails, PDF reports, nightly audit checks) runs beside the web server, on a SQLite queue
# under instance/; it stops with it (Ctrl+C, or the server exiting for any reason).
run: db ## Install, migrate, load demo data and serve on http://127.0.0.1:5000, with the job worker
	$(FLASK) demo
	@echo "Serving on http://127.0.0.1:5000 with the job worker (Ctrl+C to stop both)"
	@$(FLASK) jobs worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

CHROMIUM := /usr/bin/chromium
# The browser tests are the accessibility checks: without Chromium `make test` stops rather than passing without them.
chromium: ## Make sure Debian's Chromium is there for the browser tests (apt-get installs it when run as root)
	@if [ -x $(CHROMIUM) ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation; \
	else \
		echo "The browser tests need Debian's Chromium at $(CHROMIUM). Install it, then run make test again:"; \
		echo "    sudo apt-get install -y chromium fonts-liberation"; \
		echo "(To run only the other tests: make test PYTEST_ARGS='-m \"not browser\"')"; \
		exit 1; \
	fi

# `-m "not browser"` in PYTEST_ARGS deselects the browser tests explicitly, and then Chromium is not needed.
test: install $(if $(findstring not browser,$(PYTEST_ARGS)),,chromium) ## Run the whole test suite, browser tests included (SQLite; set TEST_DATABASE_URL for PostgreSQL)
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(VENV)/bin/pytest $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS)) $(PYTEST_ARGS)

lint: $(VENV)/.installed ## ruff check and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed ## Apply ruff fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

BENCH_DATABASE_URL ?=
bench: install ## Run the benchmarks in bench/ (small DB sizes; full-size commands are in bench/RESULTS.md)
	$(PY) bench/audit_verify.py --events 1000000
	$(PY) bench/audit_db.py --events 100000 --repeat 3
	$(PY) bench/generate.py --url sqlite:////tmp/copro-bench-small.sqlite --scale small
	@if command -v wrk >/dev/null; then \
		$(PY) bench/http_pages.py --url sqlite:////tmp/copro-bench-small.sqlite --duration 3 --repeat 1; \
	else \
		echo "bench/http_pages.py skipped: install wrk (apt-get install -y wrk)"; \
	fi
	@if [ -n "$(BENCH_DATABASE_URL)" ]; then \
		$(PY) bench/audit_concurrency.py --url "$(BENCH_DATABASE_URL)" --writers 16 --seconds 20; \
	else \
		echo "bench/audit_concurrency.py skipped: set BENCH_DATABASE_URL=postgresql://... (that database is recreated)"; \
	fi

.PHONY: help chromium install translations extract-messages db run test lint format bench
