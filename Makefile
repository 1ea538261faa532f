# Everyday verbs. `make run` sets up and starts the app on the demo store; `make test` sets up and tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE ?= data/indicators.sqlite
# Optional: a folder of real DeSO/RegSO files (see docs/etl.md); without it the demo has generated districts.
DISTRICT_GEO_DIR ?=
export DISTRICT_GEO_DIR

.PHONY: setup demo data run run-editor run-proxied cluster audit test test-fast lint screenshots bench clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(BIN)/.installed

demo: setup
	$(BIN)/python -m etl demo

# The real store from Kolada (needs internet the first time; raw responses are cached in data/cache).
data: setup
	$(BIN)/python -m etl build

$(STORE):
	$(MAKE) demo

# Listens on this machine only; `make run ADDRESS=0.0.0.0` serves the network (behind a proxy, see docs/drift.md).
ADDRESS ?= localhost
run: setup $(STORE)
	$(BIN)/python scripts/serve.py --server.address $(ADDRESS) --browser.serverAddress localhost  # streamlit run app.py; see scripts/serve.py

# FOR TRYING ONLY: the app with sign-in against a local test provider (oidc-provider-mock, any user id signs
# in without a password): redaktor-0181, ansvarig-telge, lasare, admin (deploy/roles.example.toml).
PORT ?= 8501
OIDC_PORT ?= 9400
run-editor: setup $(STORE)
	$(BIN)/python scripts/run_editor.py --port $(PORT) --oidc-port $(OIDC_PORT)

# The app on localhost behind Debian's HAProxy (apt-get install haproxy) with the security headers of
# deploy/haproxy.cfg; `make run-proxied PROXY_BIND=0.0.0.0:8080` serves the network.
PROXY_BIND ?= localhost:8080
APP_PORT ?= 8501
HAPROXY ?= $(shell command -v haproxy || echo /usr/sbin/haproxy)
run-proxied: setup $(STORE)
	@test -x $(HAPROXY) || { echo "HAProxy saknas: installera med apt-get install haproxy"; exit 1; }
	$(BIN)/python scripts/serve.py --server.address 127.0.0.1 --server.port $(APP_PORT) --server.headless true & \
	app=$$!; trap "kill $$app" EXIT INT TERM; \
	PROXY_BIND=$(PROXY_BIND) APP_SERVER=127.0.0.1:$(APP_PORT) $(HAPROXY) -db -f deploy/haproxy.cfg

# N app processes behind Debian's HAProxy on one port (sticky sessions, WebSockets, health checks), sharing
# the store in INDICATOR_STORE (a PostgreSQL URL, or the SQLite file): `make cluster N=3`; with PG=1 a
# throwaway PostgreSQL on this machine (Debian's postgresql) gets the demo store first.
N ?= 2
PG ?=
cluster: setup $(STORE)
	$(BIN)/python scripts/cluster.py --processes $(N) --bind $(PROXY_BIND) $(if $(PG),--postgres-local)

# Known vulnerabilities in the pinned runtime dependencies (needs pypi.org's JSON API; says so when it
# cannot reach it instead of reporting a clean result; exit 3).
audit: setup
	$(BIN)/python scripts/audit.py requirements.txt

# The suite in two parts: everything but the browser tests on every core (pytest-xdist; the stores are built
# once under a file lock), then the browser tests one at a time (each drives its own app and chromium).
# Both parts always run; the target fails if either does.
test: setup
	$(BIN)/python -m pytest -n auto -m "not browser"; a=$$?; \
	$(BIN)/python -m pytest -m browser; b=$$?; \
	test $$a -eq 0 && test $$b -eq 0

# The daily loop: everything but the browser, proxy, rebuild and fuzz tests (marked slow); under 90 s.
test-fast: setup
	$(BIN)/python -m pytest -q -n auto -m "not slow and not browser"

lint: setup
	$(BIN)/ruff check .

screenshots: setup $(STORE)
	$(BIN)/python scripts/screenshots.py docs/screenshots

# The national benchmark store (all municipalities, ~6 M observations), then every benchmark.
BENCH_STORE ?= data/benchmark.sqlite
bench: setup
	@start=$$(date +%s); INDICATOR_STORE=$(BENCH_STORE) $(BIN)/python -m etl demo --scale national --quiet; \
	end=$$(date +%s); $(BIN)/python scripts/bench.py --store $(BENCH_STORE) --browser --etl-seconds $$((end-start))

clean:
	rm -rf $(VENV) .pytest_cache
