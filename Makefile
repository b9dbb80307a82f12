# Conduit: `make run` serves the platform, `make test` runs every test. Both install what they need.
PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test install bench lint-deploy clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

run: install
	PORT=$(PORT) scripts/run.sh

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install
	$(PY) bench/tenants.py

clean:
	rm -rf var staticfiles .pytest_cache
