# HomelabCmd: `make run` to try it, `make test` to check it. Both set up what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
NPM := npm --prefix frontend
CHROMIUM ?= /usr/bin/chromium
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup ui ui-deps browser fuse prometheus disk-tools container-tools image dist run test test-py test-ui test-e2e lint lint-py lint-ui \
        migrations-check types types-check bench clean

setup: $(VENV)/.stamp-setup

$(VENV)/.stamp-setup: VERSION backend/pyproject.toml agent/pyproject.toml requirements/dev.txt requirements/constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c requirements/constraints.txt -e backend -e agent -r requirements/dev.txt
	touch $@

ui-deps: frontend/node_modules/.stamp-deps

frontend/node_modules/.stamp-deps: frontend/package.json frontend/package-lock.json
	$(NPM) ci --no-audit --no-fund
	touch $@

ui: ui-deps
	$(NPM) run build

# Debian's Chromium for the browser tests: test tools may not download browsers of their own.
browser:
	@test -x $(CHROMIUM) || { apt-get update -q && apt-get install -y -q -o DPkg::Lock::Timeout=600 chromium; }

# Debian's Prometheus server and promtool, for the scrape and alert-rule tests.
prometheus:
	@command -v promtool >/dev/null && command -v prometheus >/dev/null || { apt-get update -q && apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 prometheus; }

# dist/homelab_cmd-VERSION-py3-none-any.whl (the whole hub: web UI and the agent wheel inside) and
# dist/homelab_agent-VERSION-py3-none-any.whl. Built from staged copies, so the checkout never holds
# a bundled UI that would shadow frontend/dist.
STAGE := build/dist
dist: setup ui
	rm -rf $(STAGE) dist && mkdir -p $(STAGE) dist
	cp -RL agent $(STAGE)/agent && cp -RL backend $(STAGE)/hub
	find $(STAGE) \( -name __pycache__ -o -name '*.egg-info' -o -name build \) -prune -exec rm -rf {} +
	$(BIN)/pip wheel -q --no-deps -w dist $(STAGE)/agent
	cp -R frontend/dist $(STAGE)/hub/src/homelab_cmd/web
	mkdir -p $(STAGE)/hub/src/homelab_cmd/agent_dist && cp dist/homelab_agent-*.whl $(STAGE)/hub/src/homelab_cmd/agent_dist/
	cp requirements/constraints.txt deploy/homelab-agent.service $(STAGE)/hub/src/homelab_cmd/agent_dist/
	$(BIN)/pip wheel -q --no-deps -w dist $(STAGE)/hub
	@ls -1 dist

run: setup ui
	bash scripts/run.sh

test: setup ui-deps lint migrations-check types-check test-py test-ui test-e2e

test-py: setup fuse prometheus disk-tools container-tools dist
	$(BIN)/pytest -q -n 2 --dist loadgroup tests

# libfuse2 for the hung-mount test (a real FUSE filesystem whose statfs never answers); fusepy
# comes with the dev requirements. Installing needs root, as CI has; elsewhere the test says why
# it cannot run.
fuse:
	@ldconfig -p | grep -q 'libfuse\.so\.2' || [ "$$(id -u)" != 0 ] || { apt-get update -q && apt-get install -y -q -o DPkg::Lock::Timeout=600 libfuse2; }

# Debian's smartmontools and btrfs-progs: smartctl runs for real, and a btrfs filesystem on a loop
# device is read for its device error counters (tests/agent/drives, tests/agent/pools).
disk-tools:
	@command -v smartctl >/dev/null && command -v mkfs.btrfs >/dev/null || [ "$$(id -u)" != 0 ] || { apt-get update -q && apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 smartmontools btrfs-progs; }

# Debian's podman, runc and debootstrap: `make image` and the image tests (tests/deploy/test_images.py)
# build on a local Debian base, so no image registry is needed.
container-tools:
	@command -v podman >/dev/null && command -v runc >/dev/null && command -v debootstrap >/dev/null || [ "$$(id -u)" != 0 ] || { apt-get update -q && apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 podman runc debootstrap; }

# localhost/homelab-cmd and localhost/homelab-agent (tagged latest and VERSION) from the wheels, on a
# Debian base made with debootstrap (cached in build/images/); deploy/containers/build.sh says how.
image: dist container-tools
	deploy/containers/build.sh

test-ui: ui-deps
	$(NPM) test

test-e2e: setup ui browser
	$(NPM) run e2e

lint: lint-py lint-ui

lint-py: setup
	$(BIN)/ruff check backend agent tests bench
	$(BIN)/ruff format --check backend agent tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/vulture

lint-ui: ui-deps
	$(NPM) run typecheck
	$(NPM) run lint

migrations-check: setup
	$(BIN)/python -m homelab_cmd.db.checks

# API types for the UI come from the hub's OpenAPI document.
types: setup ui-deps
	$(BIN)/homelab-cmd openapi > frontend/openapi.json
	$(NPM) run gen:types

types-check: setup ui-deps
	$(BIN)/homelab-cmd openapi > frontend/openapi.json.new
	@cmp -s frontend/openapi.json.new frontend/openapi.json || { rm -f frontend/openapi.json.new; echo "frontend/openapi.json is stale: run 'make types' and commit"; exit 1; }
	@rm -f frontend/openapi.json.new
	$(NPM) run check:types

# BENCH_POSTGRES_URL=postgresql://user@host/db also runs the ingest benchmark on a new database
# of that server (dropped afterwards); bench/compare.sh BASE_REF compares two commits.
bench: setup ui browser
	$(BIN)/python bench/ingest.py --ceiling
	if [ -n "$(BENCH_POSTGRES_URL)" ]; then $(BIN)/python bench/ingest.py --postgres "$(BENCH_POSTGRES_URL)"; fi
	$(BIN)/python bench/history.py
	$(BIN)/python bench/forecast.py
	$(BIN)/python bench/agent.py
	$(BIN)/python bench/hardening.py
	$(BIN)/python bench/scrape.py
	$(BIN)/python bench/alerts.py
	$(BIN)/python bench/notify_storm.py
	$(BIN)/python bench/hostile.py
	$(BIN)/python bench/logins.py
	$(BIN)/python bench/usage.py
	node frontend/bench/first-render.mjs

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist build dist
