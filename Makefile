# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Make's targets are development tools: they may use the built-in secret key and the embedded
# database (the settings refuse both in production, where DJANGO_DEBUG is off and make is not used).
export DJANGO_DEVELOPMENT_DEFAULTS ?= 1

.PHONY: install run test test-fast lint format messages compilemessages migrations-check seed bench loadtest ci clean lock lock-check chromium pdf-libs npm-tools lighthouse

# Installs are reproducible: requirements.lock pins every package (and its dependencies) to an
# exact version with hashes; pip refuses anything else (--require-hashes). requirements*.txt
# say what we want, `make lock` resolves them into the lock. The lock's first line records a
# hash of requirements*.txt, so an install after an edit there stops and asks for `make lock`.
LOCK := requirements.lock
REQUIREMENTS := requirements.txt requirements-dev.txt
REQUIREMENTS_HASH = $(shell cat $(REQUIREMENTS) | sha256sum | cut -c1-64)

$(BIN)/activate: $(LOCK)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	touch $(BIN)/activate

install: lock-check pdf-libs $(BIN)/activate compilemessages npm-tools

# The accessibility and HTML validity tests use axe-core and the W3C Nu HTML checker (vnu.jar, run
# on Debian's Java) from npm, installed into .npm-tools (gitignored) with pinned versions; the
# tests read them from there and never fetch anything at run time. Node/npm and Java come from
# Debian: installed here when missing and make runs as root, otherwise one line says what to do.
AXE_CORE_VERSION := 4.14.1
VNU_JAR_VERSION := 26.9.27
npm-tools:
	@missing=""; command -v npm >/dev/null || missing="$$missing npm"; command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	test -z "$$missing" || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing$$missing for the accessibility and HTML tests (apt-get)..."; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get install -y -qq --no-install-recommends $$missing >/dev/null 2>&1 || \
	    { apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; }; \
	  else \
	    echo "The accessibility and HTML tests need$$missing: run 'sudo apt-get install$$missing', then make again." >&2; \
	    exit 1; \
	  fi; }
	@grep -qs '"version": "$(AXE_CORE_VERSION)"' .npm-tools/node_modules/axe-core/package.json && \
	  grep -qs '"version": "$(VNU_JAR_VERSION)"' .npm-tools/node_modules/vnu-jar/package.json || \
	  npm install --no-save --no-audit --no-fund --ignore-scripts --prefix .npm-tools \
	    axe-core@$(AXE_CORE_VERSION) vnu-jar@$(VNU_JAR_VERSION) >/dev/null

lock-check:
	@test "$$(sed -n 's/^# requirements-sha256: //p' $(LOCK))" = "$(REQUIREMENTS_HASH)" || { \
	  echo "requirements*.txt changed after $(LOCK) was made: run \`make lock\` and commit $(LOCK)." >&2; exit 1; }

lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/uv || $(PY) -m pip install --quiet uv
	cp $(LOCK) $(LOCK).new 2>/dev/null || true  # uv keeps the versions already locked unless told to upgrade
	$(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 --custom-compile-command "make lock" \
	  $(if $(UPGRADE),--upgrade) $(foreach p,$(UPGRADE_PACKAGE),--upgrade-package $(p)) requirements-dev.txt -o $(LOCK).new
	{ echo "# requirements-sha256: $(REQUIREMENTS_HASH)"; cat $(LOCK).new; } > $(LOCK) && rm $(LOCK).new
	touch $(LOCK)

compilemessages: $(BIN)/activate
	$(PY) manage.py compilemessages --ignore=.venv --ignore=var -v 0

run: install
	DJANGO_DEBUG=1 $(PY) manage.py migrate --no-input -v 0
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo
	# The web server, one task worker and the scheduler together; one Ctrl-C stops all three.
	DJANGO_DEBUG=1 PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile.dev start

test: install chromium
	$(BIN)/pytest
	$(BIN)/pytest -m fault  # tests/infra: redis-server, PostgreSQL and gunicorn stopped and started

# The browser tests need Debian's Chromium at /usr/bin/chromium: installed here when missing and
# make runs as root; otherwise one line says what to do.
CHROMIUM ?= /usr/bin/chromium
chromium:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Chromium for the browser tests (apt-get install chromium)..."; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 || \
	    { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null; }; \
	  else \
	    echo "Browser tests need Chromium at /usr/bin/chromium: run 'sudo apt-get install chromium', then make test again." >&2; \
	    exit 1; \
	  fi; }

# WeasyPrint (the certificate PDFs) needs Pango and a font with Cyrillic letters from Debian:
# installed here when missing and make runs as root (like Chromium); otherwise one line says what to do.
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
pdf-libs:
	@command -v dpkg-query >/dev/null || exit 0; \
	missing=""; for p in $(PDF_LIBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	test -z "$$missing" || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing the PDF libraries (apt-get install$$missing)..."; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get install -y -qq --no-install-recommends $$missing >/dev/null 2>&1 || \
	    { apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; }; \
	  else \
	    echo "Certificate PDFs need$$missing: run 'sudo apt-get install$$missing', then make again." >&2; \
	    exit 1; \
	  fi; }

lint: $(BIN)/activate
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/activate
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(BIN)/activate
	$(PY) manage.py makemessages -l uz -l ru -l en --ignore=.venv --ignore=var --no-obsolete
	$(PY) manage.py make_cyrillic_catalogues
	$(PY) manage.py compilemessages --ignore=.venv --ignore=var -v 0

migrations-check: $(BIN)/activate
	$(PY) manage.py makemigrations --check --dry-run

seed: $(BIN)/activate
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py seed_demo

# benchmark_http starts gunicorn itself (needs REDIS_URL and DATABASE_URL; `wrk` from Debian is the
# load generator when installed); BENCH_JSON=var/bench/1x.json saves its results for --compare.
bench: $(BIN)/activate
	$(PY) manage.py benchmark
	$(PY) manage.py benchmark_messages
	$(PY) manage.py benchmark_http $(if $(BENCH_JSON),--json $(BENCH_JSON))

# The deadline rush with Locust against gunicorn (loadtest/locustfile.py says who is simulated): LOADTEST_USERS=100,150,...
loadtest: $(BIN)/activate
	$(PY) manage.py benchmark_loadtest $(if $(LOADTEST_USERS),--users $(LOADTEST_USERS))

# Lighthouse's four scores on a phone profile for the key pages in Uzbek and Russian, through
# gunicorn with production settings on port 8300 (manage.py benchmark_lighthouse; needs
# DATABASE_URL with seed_demo's data). The median of LIGHTHOUSE_RUNS runs, 3 by default: one run on
# a busy machine moves by ±5. A measurement, not part of `make test`. Lighthouse comes from npm,
# pinned, into its own prefix under .npm-tools (12.x: 13 wants Node 22, Debian has 20), so that
# installing it leaves axe-core and vnu-jar alone.
LIGHTHOUSE_VERSION := 12.2.3
LIGHTHOUSE_RUNS ?= 3
lighthouse: $(BIN)/activate chromium npm-tools
	@grep -qs '"version": "$(LIGHTHOUSE_VERSION)"' .npm-tools/lighthouse/node_modules/lighthouse/package.json || \
	  npm install --no-save --no-audit --no-fund --ignore-scripts --prefix .npm-tools/lighthouse \
	    lighthouse@$(LIGHTHOUSE_VERSION) >/dev/null
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/9} $(PY) manage.py benchmark_lighthouse --runs $(LIGHTHOUSE_RUNS)

ci: lint migrations-check compilemessages test

clean:
	rm -rf $(VENV) var
