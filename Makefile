# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Make's targets are development tools: they may use the built-in secret key and the embedded
# database (the settings refuse both in production, where DJANGO_DEBUG is off and make is not used).
export DJANGO_DEVELOPMENT_DEFAULTS ?= 1

.PHONY: install run test test-fast lint format messages compilemessages migrations-check seed bench ci clean

$(BIN)/activate: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(BIN)/activate

install: $(BIN)/activate compilemessages

compilemessages: $(BIN)/activate
	$(PY) manage.py compilemessages --ignore=.venv --ignore=var -v 0

run: install
	DJANGO_DEBUG=1 $(PY) manage.py migrate --no-input -v 0
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo
	# The web server, one task worker and the scheduler together; one Ctrl-C stops all three.
	DJANGO_DEBUG=1 PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile.dev start

test: install
	$(BIN)/pytest

lint: $(BIN)/activate
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/activate
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(BIN)/activate
	$(PY) manage.py makemessages -l uz -l ru -l en --ignore=.venv --ignore=var --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv --ignore=var -v 0

migrations-check: $(BIN)/activate
	$(PY) manage.py makemigrations --check --dry-run

seed: $(BIN)/activate
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py seed_demo

bench: $(BIN)/activate
	$(PY) manage.py benchmark

ci: lint migrations-check compilemessages test

clean:
	rm -rf $(VENV) var
