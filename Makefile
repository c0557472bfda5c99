# Two commands for a newcomer: `make run` and `make test`. Both install what they need first.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install run test lint bench bench-load demo worker clean system-deps

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

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo

# Web server, Celery worker and beat together; Ctrl+C stops all three.
run: demo
	@echo ""
	@echo "  $(or $(AUTHORITY_NAME),Example Borough Council): open http://127.0.0.1:$(PORT)/ and sign in with a demo user above."
	@echo ""
	@trap 'kill 0' EXIT INT TERM; \
	$(VENV)/bin/celery -A commissioning worker --beat --loglevel=INFO --concurrency=2 & \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

worker: install
	$(VENV)/bin/celery -A commissioning worker --beat --loglevel=INFO

lint: install
	$(VENV)/bin/ruff check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

test: lint
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Every benchmark, the load run included (about five minutes of it); `make bench-load` for that alone.
bench: install
	$(PY) bench/run.py

bench-load: install
	$(PY) bench/bench_load.py

clean:
	rm -rf $(VENV) node_modules var
