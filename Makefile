# Outpost: two set-up commands on a fresh Debian 12 machine (root or sudo).
#   make run   install what is needed, build, and start Outpost
#   make test  install what is needed and run every check CI runs
# Both are idempotent: a second run skips what is already installed.
# Go (>= 1.26) and Node.js (>= 20) must already be on the machine.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := run

export DEBIAN_FRONTEND := noninteractive

RUN_PACKAGES  := libgtk-3-dev libwebkit2gtk-4.1-dev pkg-config gcc xvfb xauth
# postgresql: the practice server's store tests run on SQLite and on a
# throwaway PostgreSQL cluster (scripts/with-postgres.sh).
TEST_PACKAGES := $(RUN_PACKAGES) chromium imagemagick poppler-utils postgresql

APP_TAGS := desktop,production,webkit2_41
DEV_TAGS := dev,webkit2_41
BIN      := build/bin/outpost
DEV_BIN  := build/bin/outpost-dev
SERVER_BIN := build/bin/outpost-server
ROGUE_BIN  := build/bin/outpost-rogue
WAILS_VERSION := v2.13.0

# Where `make run` keeps the chart: the same place the app uses by default.
OUTPOST_DATA_DIR ?= $(HOME)/.local/share/outpost
# -race on modernc's SQLite compiles slowly; two packages at a time fits 2 cores.
# The workstation store's package takes 12–14 min under -race on 2 busy cores:
# a package timeout of 25 min keeps a loaded machine from failing it.
GO_TEST_FLAGS ?= -race -p 2 -timeout 25m

STAGE := bash scripts/stage.sh
export STAGE_TIMINGS := $(CURDIR)/build/bin/stage-timings.txt

.PHONY: run test build frontend deps deps-run deps-test go-deps tools \
	vet converge sized gotest test-stores fecheck fetest e2e e2e-only smoke screenshot bench bench-check bench-report bindings clean

## Set-up ---------------------------------------------------------------

tools:
	@bash scripts/check-tools.sh

deps-run: tools
	@bash scripts/ensure-apt.sh $(RUN_PACKAGES)

deps-test: tools
	@bash scripts/ensure-apt.sh $(TEST_PACKAGES)

go-deps:
	@go mod download

# npm ci only when the lock file changed since the last install.
frontend/node_modules/.package-lock.json: frontend/package-lock.json
	npm --prefix frontend ci --no-audit --no-fund

deps: deps-run go-deps frontend/node_modules/.package-lock.json

# The outside judge of the FHIR export (@medplum/core validateResource),
# run by fhirexport's TestExportValidatesWithMedplum; OUTPOST_FHIR_VALIDATE=require
# makes that test fail rather than skip when it is missing.
FHIR_VALIDATOR := tools/fhir-validate/node_modules/.package-lock.json
$(FHIR_VALIDATOR): tools/fhir-validate/package-lock.json
	npm --prefix tools/fhir-validate ci --no-audit --no-fund

## Build ----------------------------------------------------------------

frontend: frontend/node_modules/.package-lock.json
	npm --prefix frontend run build

build: deps frontend
	go build -tags $(APP_TAGS) -o $(BIN) .

## make run ---------------------------------------------------------------

run: build
	@mkdir -p "$(OUTPOST_DATA_DIR)"
	@echo "Starting Outpost; chart data in $(OUTPOST_DATA_DIR)"
	@if [ -n "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
		OUTPOST_DATA_DIR="$(OUTPOST_DATA_DIR)" $(BIN); \
	else \
		echo "No DISPLAY is set: running under a virtual X display (xvfb-run); nothing will be visible. Press Ctrl-C to stop."; \
		OUTPOST_DATA_DIR="$(OUTPOST_DATA_DIR)" xvfb-run -a -s "-screen 0 1280x800x24" $(BIN); \
	fi

## make test --------------------------------------------------------------

test:
	@mkdir -p build/bin && : >"$(STAGE_TIMINGS)"
	@start=$$(date +%s); status=0; \
	$(STAGE) "install dependencies" $(MAKE) --no-print-directory deps-test go-deps frontend/node_modules/.package-lock.json $(FHIR_VALIDATOR) && \
	$(STAGE) "build frontend" $(MAKE) --no-print-directory frontend && \
	$(STAGE) "go vet" go vet ./... && \
	$(STAGE) "go test -race" env OUTPOST_FHIR_VALIDATE=require bash scripts/with-postgres.sh go test $(GO_TEST_FLAGS) ./... && \
	$(STAGE) "benchmark report" $(MAKE) --no-print-directory bench-report && \
	$(STAGE) "sync convergence ($(CONVERGE_SEEDS) seeds)" $(MAKE) --no-print-directory converge && \
	$(STAGE) "store's size tests (no -race)" $(MAKE) --no-print-directory sized && \
	$(STAGE) "frontend type-check" npm --prefix frontend run check && \
	$(STAGE) "frontend unit tests" npm --prefix frontend run test && \
	$(STAGE) "end-to-end" $(MAKE) --no-print-directory e2e-only && \
	$(STAGE) "smoke test" bash scripts/smoke.sh || status=$$?; \
	echo; echo "Stage timings:"; cat "$(STAGE_TIMINGS)"; \
	printf '%-28s %4ds\n' "total" "$$(($$(date +%s) - start))"; \
	if [ $$status -eq 0 ]; then echo "make test: all stages passed."; else echo "make test: FAILED (see the stage marked FAILED above)."; fi; \
	echo "stages: $$(grep -c ' ok$$' "$(STAGE_TIMINGS)") passed, $$(grep -c ' FAILED$$' "$(STAGE_TIMINGS)") failed"; \
	exit $$status

vet:
	go vet ./...

# The sync convergence property test with a real server, without -race (the
# race run above covers a few seeds): hundreds of seeds per CI run.
# OUTPOST_LONG=1 make converge runs thousands.
CONVERGE_SEEDS ?= 300
converge:
	OUTPOST_SEEDS=$(CONVERGE_SEEDS) go test -count=1 -timeout 20m -run 'TestSyncConverges$$' ./sqlite

# The workstation store's size tests (bytes read, the log's length, a chart
# written two ways), without -race: under it they cost CI minutes and test
# no concurrency (sqlite/sized_test.go). OUTPOST_LONG=1 runs them under
# -race too.
sized:
	@re=$$(sed -n 's/^const sizedTests = `\(.*\)`$$/\1/p' sqlite/sized_test.go); \
	test -n "$$re" || { echo "sized: no sizedTests in sqlite/sized_test.go"; exit 1; }; \
	echo "go test -count=1 -run '$$re' ./sqlite"; go test -count=1 -timeout 20m -run "$$re" ./sqlite

gotest: $(FHIR_VALIDATOR)
	OUTPOST_FHIR_VALIDATE=require bash scripts/with-postgres.sh go test $(GO_TEST_FLAGS) ./...

# The practice server's store suite on SQLite and PostgreSQL, with the
# server's tests, on one throwaway PostgreSQL cluster.
test-stores:
	bash scripts/with-postgres.sh go test $(GO_TEST_FLAGS) ./internal/pgtest/... ./sync/server/... ./cmd/outpost-server/...

fecheck: frontend/node_modules/.package-lock.json
	npm --prefix frontend run check

fetest: frontend/node_modules/.package-lock.json
	npm --prefix frontend run test

# The dev build serves frontend/dist from disk and exposes the bindings the
# end-to-end tests drive through Chromium.
e2e: frontend e2e-only

e2e-only: frontend/node_modules/.package-lock.json
	go build -tags $(DEV_TAGS) -o $(DEV_BIN) .
	CGO_ENABLED=0 go build -o $(SERVER_BIN) ./cmd/outpost-server
	go build -o $(ROGUE_BIN) ./cmd/outpost-rogue
	OUTPOST_DEV_BIN=$(CURDIR)/$(DEV_BIN) OUTPOST_SERVER_BIN=$(CURDIR)/$(SERVER_BIN) OUTPOST_ROGUE_BIN=$(CURDIR)/$(ROGUE_BIN) \
		npm --prefix frontend run e2e

smoke: frontend
	bash scripts/smoke.sh

# Refresh docs/screenshot.png from a passing smoke test.
screenshot: frontend
	bash scripts/smoke.sh --keep

## Extras -----------------------------------------------------------------

bench:
	go test -run '^$$' -bench . -benchmem ./...

# The local benchmarks against their budgets (docs/bench/budgets.tsv), each
# figure normalised by a yardstick (scripts/bench-check): fails on a
# regression beyond 25%. bench-report is the short version make test prints,
# which never fails (shared machines are noisy). BENCH_ONLY=regexp runs some
# lines.
bench-check:
	go run ./scripts/bench-check $(if $(BENCH_ONLY),-only '$(BENCH_ONLY)')

bench-report:
	go run ./scripts/bench-check -report $(if $(BENCH_ONLY),-only '$(BENCH_ONLY)') \
		|| echo "bench-report: the report could not run (see above); not a failure."

# Regenerate frontend/wailsjs from the Go API (committed; not part of test).
# wails runs main.go with the bindings tag, which opens a chart store before
# handing over to Wails: point it at a throwaway one.
bindings:
	@export PATH="$$(go env GOPATH)/bin:$$PATH"; \
	if ! wails version 2>/dev/null | grep -q '$(WAILS_VERSION)'; then \
		echo "Installing the Wails CLI $(WAILS_VERSION)…"; \
		go install github.com/wailsapp/wails/v2/cmd/wails@$(WAILS_VERSION); \
	fi; \
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	OUTPOST_DATA_DIR=$$tmp wails generate module -tags webkit2_41

clean:
	rm -rf build/bin build/smoke/*.png build/smoke/*.log
