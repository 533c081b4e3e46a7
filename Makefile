# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Where `make demo` serves; the environment may set either: PORT=8001 make demo
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test lint install install-dev

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

install: $(PY)
	$(PY) -m pip install --quiet -r requirements.txt

install-dev: $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt

# Install, migrate, load the MRTA demo collection, write the API's bulk dump, print an
# archivist login for HOST:PORT, serve there. The dump's links name that address unless
# MEMORIA_BASE_URL says otherwise.
demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	HOST="$(HOST)" PORT="$(PORT)" $(PY) manage.py setup_demo
	$(PY) manage.py reconcile_announcements
	MEMORIA_BASE_URL="$${MEMORIA_BASE_URL:-http://$(HOST):$(PORT)}" $(PY) manage.py dump_public_records
	$(PY) manage.py runserver $(HOST):$(PORT)

# Install and run the whole test suite (SQLite, or PostgreSQL when DATABASE_URL says so).
test: install-dev
	$(PY) -m pytest

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
