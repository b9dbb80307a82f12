# Conduit: `make run` serves the platform, `make test` runs every test. Both install what they need.
PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test install nafka bench lint-deploy clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# nafka (a small Kafka-protocol broker for the Kafka tests) needs Python >= 3.12: its own venv.
NAFKA_VENV   ?= .venv-nafka
NAFKA_PYTHON ?= $(firstword $(foreach p,python3.13 python3.12,$(shell $(p) -c '' >/dev/null 2>&1 && echo $(p))) \
                  $(wildcard /root/.pyenv/versions/3.13*/bin/python3.13 /root/.pyenv/versions/3.12*/bin/python3.12))
$(NAFKA_VENV)/.installed:
	test -x $(NAFKA_VENV)/bin/python || $(NAFKA_PYTHON) -m venv $(NAFKA_VENV)
	$(NAFKA_VENV)/bin/python -m pip install --quiet nafka==0.1
	touch $@

nafka: $(NAFKA_VENV)/.installed

run: install
	PORT=$(PORT) scripts/run.sh

test: install nafka
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install
	$(PY) bench/tenants.py

lint-deploy:
	bash scripts/validate-deploy.sh

clean:
	rm -rf var staticfiles .pytest_cache
