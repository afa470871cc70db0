# The two commands of the README: `make demo` and `make test`. Each sets up what it needs on a fresh machine.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(abspath $(VENV))/bin
BUILD := $(abspath .build)
STAGED := $(BUILD)/ansible_collections/venafi_tpp/auth
INSTALLED := $(BUILD)/installed
DIST := $(BUILD)/dist
export PATH := $(BIN):$(PATH)
# ansible-test and the tests run on the venv's Python.
PY_VERSION = $(shell $(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')
# Pinning the content root stops ansible-test from walking up to this repository's .git and
# listing the (git-ignored) staged copy as empty.
ANSIBLE_TEST := ANSIBLE_TEST_CONTENT_ROOT=$(STAGED) ansible-test
ANSIBLE_TEST_FLAGS := --python $(PY_VERSION) --color yes

.PHONY: help setup demo test stage install sanity units integration emulator-tests lint bench clean

help:
	@echo "make demo   - run the demo playbook against the bundled TPP emulator"
	@echo "make test   - run every test: sanity, units, integration, emulator tests, ansible-lint, the demo"
	@echo "make sanity | units | integration | emulator-tests | lint - one part of make test"
	@echo "make bench  - figures against the emulator: token modules, lookup cache, role vs copy"

# One virtual environment for everything; rebuilt when a requirements file changes.
setup: $(VENV)/.installed
$(VENV)/.installed: requirements.txt requirements-dev.txt tests/emulator/requirements.txt tests/unit/requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python tools/offline_pip_bootstrap.py
	touch $@

# The collection as ansible-test wants it: .build/ansible_collections/venafi_tpp/auth.
stage: setup
	$(BIN)/python tools/stage_collection.py $(BUILD) >/dev/null

# The collection as users get it: a built tarball, installed into .build/installed.
install: stage
	rm -rf $(DIST) $(INSTALLED)
	cd $(STAGED) && ansible-galaxy collection build --output-path $(DIST)
	ansible-galaxy collection install --force -p $(INSTALLED) $(DIST)/venafi_tpp-auth-*.tar.gz

demo: install
	$(BIN)/python tools/with_emulator.py -- \
	  env ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) ANSIBLE_CONFIG=$(abspath demo/ansible.cfg) \
	  ansible-playbook -i $(abspath demo/inventory.ini) $(abspath demo/demo.yml)

# make test runs these in order and stops at the first failure; the demo keeps the README's first command true.
TEST_PARTS := sanity units integration emulator-tests lint demo

test: setup
	@start=$$(date +%s); \
	for part in $(TEST_PARTS); do \
	  echo "=== make $$part"; part_start=$$(date +%s); \
	  $(MAKE) --no-print-directory $$part || { echo "=== FAILED: make $$part"; exit 1; }; \
	  echo "=== make $$part passed in $$(( $$(date +%s) - part_start )) s"; \
	done; \
	echo "=== make test passed in $$(( $$(date +%s) - start )) s"; \
	echo "parts: $(words $(TEST_PARTS)) passed, 0 failed"

sanity: stage
	cd $(STAGED) && $(ANSIBLE_TEST) sanity $(ANSIBLE_TEST_FLAGS)

units: stage
	cd $(STAGED) && $(ANSIBLE_TEST) units $(ANSIBLE_TEST_FLAGS) --local

integration: stage
	cd $(STAGED) && $(ANSIBLE_TEST) integration $(ANSIBLE_TEST_FLAGS) --local

emulator-tests: setup
	$(BIN)/python -m pytest tests/emulator/tests -n 2 -q

lint: stage
	ANSIBLE_COLLECTIONS_PATH=$(BUILD) ansible-lint --offline --profile production

# Figures, not tests: the token modules, the lookup's cache and the role, against the emulator.
bench: install
	$(BIN)/python tools/bench_tokens.py
	$(BIN)/python tools/bench_lookup.py
	$(BIN)/python tools/bench_role.py

clean:
	rm -rf $(BUILD) tests/output .ansible

# --- reliability (issue 8): faults survived, concurrency, TLS -------------------------------------------------------
# The integration targets with the alias `reliability` run the real collection against the emulator: every endpoint
# through 503s, timeouts, drops and a 500 on refresh, a restart, a server clock ahead; 20 forks racing one refresh, 3
# concurrent runs x 10 on one cache, a killed lock holder; TLS failures. `make integration` leaves them out, so
# `make test` runs them once, here, and prints the figures they report (their FIGURE lines) and the run time.
RELIABILITY_LOG := $(BUILD)/reliability.log
TEST_PARTS += test-reliability
integration: ANSIBLE_TEST_FLAGS += --exclude reliability/
.PHONY: test-reliability

test-reliability: stage
	@start=$$(date +%s); \
	(cd $(STAGED) && $(ANSIBLE_TEST) integration $(ANSIBLE_TEST_FLAGS) --local reliability/) 2>&1 | tee $(RELIABILITY_LOG); \
	echo "=== reliability figures"; \
	sed 's/\x1b\[[0-9;]*m//g' $(RELIABILITY_LOG) | grep -o 'FIGURE .*' | sed 's/^FIGURE //; s/"$$//'; \
	echo "=== make test-reliability passed in $$(( $$(date +%s) - start )) s"
# --- end reliability -----------------------------------------------------------------------------------------------
