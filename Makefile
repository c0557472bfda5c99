# Two commands for a newcomer: `make run` and `make test`. Both install what they need first.
SHELL := /bin/bash
VENV := .venv
REF_VENV := .reference-venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

LOCKS := requirements/base.txt requirements/dev.txt requirements/bootstrap.txt

.PHONY: install run test lint bench bench-load demo worker clean system-deps lock

install: system-deps $(VENV)/.installed $(REF_VENV)/.installed node_modules/.installed

# Debian packages the stack needs: Pango/HarfBuzz for WeasyPrint, Chromium for the browser tests, venv for Debian's Python,
# poppler-utils (pdffonts, pdftotext) for the tests that read back a report's fonts and text.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	ldconfig -p | grep -q libpango-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	command -v pdffonts >/dev/null || missing="$$missing poppler-utils"; \
	$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# The venv's own pip (whatever version `python -m venv` gave) installs only the installer, uv, at the version and
# hashes in requirements/bootstrap.txt; uv then installs every package at the version and hashes in the universal
# lock, which carries markers for every Python 3.11+ (async-timeout on 3.11.0-3.11.2, as Debian 12's 3.11.2 needs).
# Nothing is resolved at install time, so what PyPI publishes after the lock changes nothing. `uv pip check` fails
# if the lock is inconsistent; tests/test_platform.py fails if pyproject.toml wants what the lock lacks.
# `make install PYTHON=/usr/bin/python3.11` builds the venv with another Python. uv compiles the packages' bytecode as
# it installs (pip did so by default, uv does not, and PYTHONDONTWRITEBYTECODE below stops Python writing it later):
# without it every process, each report build and test worker among them, compiles its imports anew, seconds each.
PYTHON ?= python3
UV := $(VENV)/bin/uv
export UV_NO_CONFIG := 1
$(VENV)/.installed: pyproject.toml $(LOCKS) requirements/bootstrap.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --require-hashes -r requirements/bootstrap.txt
	$(UV) pip install -q --python $(PY) --require-hashes --compile-bytecode -r requirements/dev.txt
	$(UV) pip check -q --python $(PY)
	touch $@

# Regenerate the lock files from pyproject.toml with uv (the one in the venv): universal locks for every Python
# pyproject.toml allows, PyPI's files only. Existing pins are kept where pyproject.toml still allows them:
# `make lock LOCK_ARGS=--upgrade` takes the newest of everything, `LOCK_ARGS="--upgrade-package django"` of one.
lock: $(VENV)/.installed
	flags="-q --universal --python-version 3.11 --generate-hashes --no-emit-index-url --custom-compile-command 'make lock' $(LOCK_ARGS)"; \
	eval $(UV) pip compile $$flags -o requirements/base.txt pyproject.toml && \
	eval $(UV) pip compile $$flags --extra dev -c requirements/base.txt -o requirements/dev.txt pyproject.toml && \
	echo "uv==$$($(UV) --version | cut -d' ' -f2)" | eval $(UV) pip compile $$flags --no-header -o requirements/bootstrap.txt.new - && \
	{ head -n2 requirements/bootstrap.txt; cat requirements/bootstrap.txt.new; } > requirements/bootstrap.tmp && \
	mv requirements/bootstrap.tmp requirements/bootstrap.txt && rm requirements/bootstrap.txt.new && \
	eval $(UV) pip compile $$flags -o requirements/reference.txt requirements/reference.in

# The field's demand model (cs-demand-model), which the sufficiency forecast's tests and bench run beside it. It pins
# libraries the 903 validator cannot share, so it has its own venv and its own lock, and runs as a separate process.
$(REF_VENV)/.installed: requirements/reference.txt $(VENV)/.installed
	test -x $(REF_VENV)/bin/python || $(UV) venv -q --python $(PY) $(REF_VENV)
	$(UV) pip install -q --python $(REF_VENV)/bin/python --require-hashes --compile-bytecode -r requirements/reference.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# var/ holds development's SQLite database, files and broker; made here and by bin/run, not by importing settings.
demo: install
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo

# Web server, Celery worker and beat together; Ctrl+C (or SIGTERM) stops them all (see bin/run).
run: demo
	@VENV=$(VENV) PORT=$(PORT) bin/run

worker: install
	$(VENV)/bin/celery -A commissioning worker --beat --loglevel=INFO

lint: install
	$(VENV)/bin/ruff check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# The suite runs in parallel, a pytest-xdist process per core, each with its own test database; tests marked
# xdist_group (they share something outside it) stay together under --dist loadgroup. `make test PYTEST_XDIST=`
# runs it all in one process; PYTEST_XDIST_AUTO_NUM_WORKERS=N sets how many processes `auto` means.
PYTEST_XDIST ?= -n auto --dist loadgroup
test: lint
	$(VENV)/bin/pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

# Every benchmark, the load run included (about five minutes of it); `make bench-load` for that alone.
bench: install
	$(PY) bench/run.py

bench-load: install
	$(PY) bench/bench_load.py

clean:
	rm -rf $(VENV) $(REF_VENV) node_modules var
