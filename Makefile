# Two commands for a newcomer: `make run` and `make test`. Both install what they need first.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

LOCKS := requirements/base.txt requirements/dev.txt

.PHONY: install run test lint bench bench-load demo worker clean system-deps lock

install: system-deps $(VENV)/.installed node_modules/.installed

# Debian packages the stack needs: Pango/HarfBuzz for WeasyPrint, Chromium for the browser tests.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	ldconfig -p | grep -q libpango-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# Every Python package at the version and hashes in the lock file (plain pip, no lock tool needed), then the
# project itself without resolving anything again; `pip check` fails if pyproject.toml wants what the lock lacks.
$(VENV)/.installed: pyproject.toml $(LOCKS)
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --require-hashes -r requirements/dev.txt
	$(PY) -m pip install -q --no-deps -e .
	$(PY) -m pip check
	touch $@

# Regenerate the lock files from pyproject.toml with pip-tools (in its own venv under var/). Existing pins are kept
# where pyproject.toml still allows them: `make lock LOCK_ARGS=--upgrade` takes the newest of everything,
# `LOCK_ARGS="--upgrade-package django"` of one package. The machine's own pip configuration (extra indexes,
# find-links) is left out, so the lock names PyPI's files only.
LOCK_TOOLS := var/lock-tools
lock:
	test -x $(LOCK_TOOLS)/bin/pip-compile || { python3 -m venv $(LOCK_TOOLS) && $(LOCK_TOOLS)/bin/pip install -q pip-tools; }
	mkdir -p requirements
	export PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= CUSTOM_COMPILE_COMMAND="make lock"; \
	flags="-q --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)"; \
	$(LOCK_TOOLS)/bin/pip-compile $$flags -o requirements/base.txt pyproject.toml && \
	$(LOCK_TOOLS)/bin/pip-compile $$flags --extra dev -c requirements/base.txt -o requirements/dev.txt pyproject.toml

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo

# Web server, Celery worker and beat together; Ctrl+C (or SIGTERM) stops them all (see bin/run).
run: demo
	@echo ""
	@echo "  $(or $(AUTHORITY_NAME),Example Borough Council): open http://127.0.0.1:$(PORT)/ and sign in with a demo user above."
	@echo ""
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
	rm -rf $(VENV) node_modules var
