# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: demo test lint install install-dev

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

install: $(PY)
	$(PY) -m pip install --quiet -r requirements.txt

install-dev: $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt

# Install, migrate, load the MRTA demo collection, write the API's bulk dump, print an
# archivist login, serve.
demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py setup_demo
	$(PY) manage.py dump_public_records
	$(PY) manage.py runserver 127.0.0.1:8000

# Install and run the whole test suite (SQLite, or PostgreSQL when DATABASE_URL says so).
test: install-dev
	$(PY) -m pytest

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
