# Grid Academy: `make run` serves the site, `make test` runs the suite; both do the whole set-up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := wsgi.py
# What the app and its tests need from Debian: CJK fonts and HarfBuzz subsetting for PDFs,
# Pango for WeasyPrint, Chromium for the browser tests, pg_isready to wait for PostgreSQL,
# qpdf and poppler's pdftotext to check and read back the PDFs in the tests.
SYSTEM_PACKAGES := fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 chromium postgresql-client \
	qpdf poppler-utils
# The certificates' GB2312 face, made once from Noto Serif CJK SC (academy/fonts.py).
CERTIFICATE_FACE := .cache/fonts/GridAcademySerif-GB2312.ttf
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/academy_test

.PHONY: run test setup system services translations db lint bench clean

run: setup db
	@echo "Serving the Grid Academy on http://127.0.0.1:$(PORT)"
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: setup services db
	@echo "== test suite on SQLite =="
	CI=$${CI:-} $(BIN)/python -m pytest
	@echo "== test suite on PostgreSQL ($(PG_TEST_URL)) =="
	@echo "(the page sweep ran in the SQLite pass: layout, words and accessibility do not depend on the database)"
	ACADEMY_TEST_DATABASE_URL=$(PG_TEST_URL) ACADEMY_TEST_REQUIRE_SERVICES=1 $(BIN)/python -m pytest -m "not sweep"

setup: system $(BIN)/.installed node_modules/.installed translations $(CERTIFICATE_FACE)

system:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  else \
	    echo "Missing system packages:$$missing"; \
	    echo "Run this once, then run make again:  sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

# The front-end libraries the app serves under /vendor/ (academy/web/vendor.py), pinned with their
# checksums in package-lock.json, from the npm registry.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(CERTIFICATE_FACE): | $(BIN)/.installed
	$(BIN)/python -m academy.fonts

translations: $(BIN)/.installed
	$(BIN)/pybabel compile -d academy/translations >/dev/null

# PostgreSQL and Redis answer on this machine; start them if they were stopped.
services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || { [ "$$(id -u)" = 0 ] && command -v pg_ctlcluster >/dev/null && \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | tail -1) main start; sleep 2; }
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || { command -v redis-server >/dev/null && \
	  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no; sleep 1; }

db: $(BIN)/.installed
	$(BIN)/flask db upgrade
	$(BIN)/flask academy demo --if-empty

lint: $(BIN)/.installed
	$(BIN)/ruff check academy courses citydata tests benchmarks

# Not part of `make test`: builds the benchmark city once per backend (reused while its size matches),
# runs everything under benchmarks/ against gunicorn + PostgreSQL + Redis and against SQLite, and
# writes benchmarks/RESULTS.md. BENCH_SCALE=0.1 for a tenth of the issue's city; BENCH_ARGS for more.
BENCH_SCALE ?= 1
bench: setup services
	$(BIN)/python benchmarks/run_all.py --scale $(BENCH_SCALE) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .cache node_modules
