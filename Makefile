# Conduit: `make run` serves the platform, `make test` runs every test. Both install what they need.
PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test install nafka frontend node bench lint-deploy clean

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

# The Conduit Frontend (frontend/, Node 20+ from the machine): npm ci when the lock file changes, a build when any
# source changes; Django serves frontend/dist on tenant hosts. Playwright drives Debian's chromium, never its own.
FRONTEND     := frontend
FRONTEND_SRC := $(shell find $(FRONTEND)/src $(FRONTEND)/public -type f 2>/dev/null) \
                $(wildcard $(FRONTEND)/index.html $(FRONTEND)/vite.config.* $(FRONTEND)/tsconfig*.json)

node:
	@node -e 'const v = +process.versions.node.split(".")[0]; if (v < 20) { console.error(`Node 20+ is needed for frontend/, found $${process.version}`); process.exit(1) }' \
	  || { echo "install Node.js 20 or newer (Debian: apt-get install nodejs npm)" >&2; exit 1; }

$(FRONTEND)/node_modules/.installed: $(FRONTEND)/package.json $(FRONTEND)/package-lock.json | node
	cd $(FRONTEND) && npm ci --no-audit --no-fund
	touch $@

$(FRONTEND)/dist/index.html: $(FRONTEND)/node_modules/.installed $(FRONTEND_SRC)
	cd $(FRONTEND) && npm run build
	touch $@

frontend: $(FRONTEND)/dist/index.html

run: install frontend
	PORT=$(PORT) scripts/run.sh

test: install nafka frontend
	cd $(FRONTEND) && npm test
	$(VENV)/bin/lint-imports  # the layers of docs/architecture.md (.importlinter)
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install
	$(PY) bench/tenants.py

lint-deploy:
	bash scripts/validate-deploy.sh

clean:
	rm -rf var staticfiles .pytest_cache $(FRONTEND)/dist
