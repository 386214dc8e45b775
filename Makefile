# GoSync: `make run` to try it, `make test` to check it. Both install what is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := run

# Reuse a build cache outside the clone when the machine has one; never depend on it.
CACHE_DIR ?= /var/cache/gosync
export CARGO_TARGET_DIR ?= $(if $(wildcard $(CACHE_DIR)),$(CACHE_DIR)/target,$(CURDIR)/target)
# No incremental compilation in make's builds: it multiplies the cache's size for little gain.
export CARGO_INCREMENTAL ?= 0
ADDR ?= 127.0.0.1:3000
# PDF previews: the libpdfium that `make setup` fetches, unless one is configured.
export GOSYNC_PDFIUM_PATH ?= $(CURDIR)/tools/pdfium/libpdfium.so
# One package set for every test step, so that cargo builds (and features unify) only once.
RUST_PKGS := -p server -p app -p migrations -p gosync-sync
DATA_DIR ?= ./data

.PHONY: run build site setup test test-unit test-sqlite test-postgres test-e2e lint fmt clean cluster cluster-down test-api-fuzz test-long

setup:
	@scripts/setup-build.sh

site: setup
	@scripts/build-site.sh

## make build: the release binary target/release/gosync (tuned for speed) and the site
build: setup
	@scripts/build.sh release

## make run: build (a profile quicker to build than make build's), then serve on
## http://$(ADDR) with SQLite and blobs under $(DATA_DIR)
run: setup
	@scripts/build.sh quick
	@echo "==> GoSync on http://$(ADDR) (Ctrl-C stops it)"
	target/quick/gosync serve --addr $(ADDR) --data-dir $(DATA_DIR)

## make test: every test: Rust on SQLite and on PostgreSQL, then the browser tests in Chromium
test: setup
	@scripts/setup-test.sh
	$(MAKE) test-sqlite test-postgres test-e2e test-api-fuzz

test-sqlite:
	@echo "==> Rust tests on SQLite (S3 storage tests against SeaweedFS)"
	scripts/with-seaweedfs.sh cargo test $(RUST_PKGS)

test-postgres:
	@echo "==> Rust tests on PostgreSQL"
	TEST_DATABASE_URL="$$(scripts/ensure-postgres.sh)" scripts/with-seaweedfs.sh cargo test $(RUST_PKGS)

# The server binary is the debug `gosync` that the test build makes.
test-e2e: site
	@echo "==> browser tests in Chromium"
	cargo test $(RUST_PKGS) --no-run
	node end2end/run.mjs
	@echo "==> the cluster: nginx, two nodes, a worker, PostgreSQL and SeaweedFS"
	node end2end/cluster.mjs

## schemathesis against the OpenAPI document: about 300 generated requests, no 5xx, schema kept
test-api-fuzz:
	cargo test $(RUST_PKGS) --no-run
	scripts/schemathesis.sh 5

## make test-long: what CI does not run: 2,500 generated API requests, the kill -9 soak, the
## container check (scripts/fuzz.sh fuzzes, scripts/bench-cluster.sh measures: run them alone)
test-long: setup
	@scripts/setup-test.sh
	cargo test $(RUST_PKGS) --no-run
	scripts/schemathesis.sh 40
	node end2end/soak.mjs 20 30
	scripts/container-check.sh

## make cluster: two nodes, a worker, PostgreSQL, SeaweedFS and nginx in front, on this machine
cluster: build
	@scripts/cluster.sh up

cluster-down:
	@scripts/cluster.sh down

lint:
	cargo fmt --all -- --check
	cargo clippy $(RUST_PKGS) --all-targets -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

fmt:
	cargo fmt --all

clean:
	rm -rf target/site target/release/gosync
