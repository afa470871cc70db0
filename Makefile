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

.PHONY: help setup demo test check stage install self-contained sanity units integration integration-plugins integration-docs emulator-tests lint bench clean
.PHONY: changelog changelog-release ee test-matrix shell test-shell

help:
	@echo "make demo   - run the demo playbook against the bundled TPP emulator"
	@echo "make test   - run every test: sanity, units, integration, reliability, emulator tests, ansible-lint, docs, release checks, the demo"
	@echo "make check  - the fast inner loop: sanity on the files changed since CHECK_BASE (main), units, ansible-lint"
	@echo "make self-contained | sanity | units | integration (= integration-plugins + integration-docs) | test-reliability | emulator-tests | lint | docs | changelog | ee - one part of make test"
	@echo "make docs   - lint the plugin docs and docs/docsite, build the HTML site into .build/docs (part of make test)"
	@echo "make install - build the tarball into .build/dist, check what it holds, install it into .build/installed"
	@echo "make shell  - a shell for your own playbooks: the emulator up, the installed collection, the venv, VENAFI_TPP_URL and VENAFI_TPP_CA_PATH set"
	@echo "make bench  - figures against the emulator: token modules, lookup cache, role vs copy (about 25 min)"
	@echo "make changelog-release - add the changelog fragments to the release of galaxy.yml's version, regenerate CHANGELOG.rst"
	@echo "make test-matrix - sanity and units on every supported ansible-core (not in make test: 4 to 12 min)"

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

# The collection as users get it: a built tarball, checked to hold nothing of the development tree,
# installed into a fresh .build/installed (the demo, the EE check and the benchmarks run against it).
install: stage
	rm -rf $(DIST) $(INSTALLED)
	cd $(STAGED) && ansible-galaxy collection build --output-path $(DIST)
	$(BIN)/python tools/check_tarball.py $(DIST)/venafi_tpp-auth-*.tar.gz
	ansible-galaxy collection install --force -p $(INSTALLED) $(DIST)/venafi_tpp-auth-*.tar.gz

demo: install
	$(BIN)/python tools/with_emulator.py -- \
	  env ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) ANSIBLE_CONFIG=$(abspath demo/ansible.cfg) \
	  ansible-playbook -i $(abspath demo/inventory.ini) $(abspath demo/demo.yml)

# Your own playbooks against what make demo built: your $$SHELL with the emulator up until it exits, the installed collection
# (ANSIBLE_COLLECTIONS_PATH), the venv first on PATH, and the collection's VENAFI_TPP_URL and VENAFI_TPP_CA_PATH. Commands on
# standard input run without a prompt (echo 'ansible-playbook site.yml' | make shell). make test-shell checks it.
SHELL_BANNER := venafi_tpp.auth shell: the TPP emulator at $$VENAFI_TPP_URL (CA $$VENAFI_TPP_CA_PATH, client certificates \
  and JWT keys in $$TPP_EMULATOR_WORKDIR), the collection from $$ANSIBLE_COLLECTIONS_PATH, ansible-playbook from $(BIN). \
  Seed: admin/admin-pass-1 (client tpp-admin), svc-ansible/svc-pass-1 (client vcert-sdk). Exit the shell to stop the emulator.
shell: install
	@$(BIN)/python tools/with_emulator.py -- env ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) \
	  bash -c 'echo "$(SHELL_BANNER)"; exec "$${SHELL:-/bin/bash}"'

test-shell: setup
	$(BIN)/python tools/check_shell.py

# make test runs its parts in two lanes side by side, each lane in order, and stops both at the first failure
# (tools/test_lanes.py; the second lane builds into .build/lane1). An integration target is mostly one process at a time
# (ansible-playbook, then a module, then the emulator), so the second lane uses the core the first leaves idle. The demo
# comes last and keeps the README's first command true.
TEST_LANE_1 := self-contained sanity units integration-plugins test-shell demo
TEST_LANE_2 := integration-docs test-reliability emulator-tests lint docs changelog ee

test: setup
	$(BIN)/python tools/test_lanes.py --lane "$(TEST_LANE_1)" --lane "$(TEST_LANE_2)"

# The fast inner loop while changing the collection (make test runs each part in full): ansible-test sanity on the files
# that differ from CHECK_BASE (committed or not, and new files git does not ignore; ansible-test takes them as targets, since
# the staged copy is no git checkout), every unit test in one pytest session (with ansible-test's collection plugin, which
# make units uses per context), and ansible-lint on the changed YAML files.
CHECK_BASE ?= main
ANSIBLE_TEST_PYTEST_PLUGINS = $(shell $(BIN)/python -c 'import ansible_test, os; print(os.path.join(os.path.dirname(ansible_test.__file__), "_util", "target", "pytest", "plugins"))')
check: stage
	@start=$$(date +%s); \
	changed=$$({ git diff --name-only $$(git merge-base HEAD $(CHECK_BASE)); git ls-files --others --exclude-standard; } \
	  | sort -u | while read -r path; do if [ -f "$(STAGED)/$$path" ]; then echo "$$path"; fi; done); \
	if [ -n "$$changed" ]; then \
	  echo "=== sanity on the $$(echo "$$changed" | wc -l) files that differ from $(CHECK_BASE)"; \
	  (cd $(STAGED) && $(ANSIBLE_TEST) sanity $(ANSIBLE_TEST_FLAGS) $$changed); \
	else echo "=== sanity: no file differs from $(CHECK_BASE)"; fi; \
	echo "=== units"; \
	(cd $(STAGED) && ANSIBLE_COLLECTIONS_PATH=$(BUILD) ANSIBLE_CONTROLLER_MIN_PYTHON_VERSION=$(PY_VERSION) \
	  PYTHONPATH=$(ANSIBLE_TEST_PYTEST_PLUGINS) $(BIN)/python -m pytest tests/unit -p ansible_pytest_collections -p no:cacheprovider -q -n auto); \
	yaml=$$(echo "$$changed" | grep -E '\.ya?ml$$' | grep -v '^changelogs/' || true); \
	if [ -n "$$yaml" ]; then \
	  echo "=== ansible-lint on the $$(echo "$$yaml" | wc -l) changed YAML files"; \
	  (cd $(STAGED) && env -u ANSIBLE_COLLECTIONS_PATH -u ANSIBLE_CONFIG ansible-lint $$yaml); \
	else echo "=== ansible-lint: no YAML file differs from $(CHECK_BASE)"; fi; \
	echo "=== make check passed in $$(( $$(date +%s) - start )) s"

# A clone must work with nothing beside it: no file may refer to a path outside the repository (the tool proves
# itself on planted references first).
self-contained: setup
	$(BIN)/python tools/check_self_contained.py

sanity: stage
	cd $(STAGED) && $(ANSIBLE_TEST) sanity $(ANSIBLE_TEST_FLAGS)

units: stage
	cd $(STAGED) && $(ANSIBLE_TEST) units $(ANSIBLE_TEST_FLAGS) --local

# make integration runs both halves; make test runs them in its two lanes. integration-docs holds the targets that run
# what the documentation shows (every playbook of the docs, the bad-input catalogue, the AWX/AAP guide's jobs, the promotion
# guide's staging-to-production run with two servers), integration-plugins every other target (the reliability ones have
# their own part, below). The two halves take about as long, so that make test's lanes end together.
DOCS_TARGETS := docs_playbooks bad_inputs revoke_at_exit role_oauth_configuration
integration: integration-plugins integration-docs

integration-plugins: stage
	cd $(STAGED) && $(ANSIBLE_TEST) integration $(ANSIBLE_TEST_FLAGS) --local $(addprefix --exclude ,$(DOCS_TARGETS))

integration-docs: stage
	cd $(STAGED) && $(ANSIBLE_TEST) integration $(ANSIBLE_TEST_FLAGS) --local $(DOCS_TARGETS)

emulator-tests: setup
	$(BIN)/python -m pytest tests/emulator/tests -n 2 -q

# ansible-lint as a user runs it in a checkout laid out as ansible_collections/venafi_tpp/auth (the staged copy is one), with no
# ANSIBLE_COLLECTIONS_PATH or ANSIBLE_CONFIG: .ansible-lint (production profile, offline) and ansible.cfg (where the collection is)
# must be all it needs, so this also keeps that plain invocation passing.
lint: stage
	cd $(STAGED) && env -u ANSIBLE_COLLECTIONS_PATH -u ANSIBLE_CONFIG ansible-lint

# --- docs: the documentation site ---------------------------------------------------------------
# antsibull-docs lints the plugin and role docs and docs/docsite/, then generates the Sphinx site of the
# staged collection and builds it into .build/docs/build/html. Offline (tools/docsite_offline.py), and
# any warning fails it: build.sh runs sphinx-build -W, and the log must hold no WARNING or ERROR at all.
DOCS := $(BUILD)/docs
.PHONY: docs
# antsibull-docs copies a collection inside a Git work tree with git ls-files; the staged copy is git-ignored,
# so Git must not find this repository from there (else the copy is empty and the plugin lint checks nothing).
docs: stage
	GIT_CEILING_DIRECTORIES=$(BUILD) ANSIBLE_COLLECTIONS_PATH=$(BUILD) \
	  antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs $(STAGED)
	rm -rf $(DOCS) && mkdir -m 0755 -p $(DOCS)
	ANSIBLE_COLLECTIONS_PATH=$(BUILD) antsibull-docs sphinx-init --use-current --fail-on-error --dest-dir $(DOCS) \
	  --project venafi_tpp.auth --title "venafi_tpp.auth" venafi_tpp.auth >/dev/null
	$(BIN)/python tools/docsite_offline.py $(DOCS)
	ANSIBLE_COLLECTIONS_PATH=$(BUILD) $(DOCS)/build.sh >$(DOCS)/build.log 2>&1 || { cat $(DOCS)/build.log; exit 1; }
	! grep -E 'WARNING|ERROR' $(DOCS)/build.log
	@echo "docs: 0 warnings; open $(DOCS)/build/html/index.html"
# --- end of docs ---------------------------------------------------------------------------------

# Figures, not tests: the token modules, the lookup's cache and the role, against the emulator.
bench: install
	$(BIN)/python tools/bench_tokens.py
	$(BIN)/python tools/bench_lookup.py --task template --hosts 1,100,500 --runs 2
	$(BIN)/python tools/bench_lookup.py --task set_fact --hosts 1,100,500 --runs 3 --reference
	$(BIN)/python tools/bench_role.py

# --- Release: changelog, execution environment, support matrix -------------------------------------
# antsibull-changelog lint, changelog.yaml valid, CHANGELOG.rst generated from it, no fragment left out of a released version.
changelog: setup
	$(BIN)/python tools/check_changelog.py

# The release flow: moves the fragments into changelogs/changelog.yaml under galaxy.yml's version (again for the same
# version adds the new ones to it) and regenerates CHANGELOG.rst. Commit the result.
changelog-release: setup
	antsibull-changelog release

# ansible-builder's build context for docs/examples/execution-environment.yml (no image build), checked against the
# installed tarball's meta/execution-environment.yml.
EE_CONTEXT := $(BUILD)/ee
ee: install
	rm -rf $(EE_CONTEXT)
	ansible-builder create --file docs/examples/execution-environment.yml --context $(EE_CONTEXT) --output-filename Containerfile >/dev/null
	$(BIN)/python tools/check_ee.py $(EE_CONTEXT) $(INSTALLED)

# Sanity and units on each ansible-core minor that installs on this Python, each in .build/matrix/<version>/.
# Keep in step with requires_ansible in meta/runtime.yml and the README's requirements.
MATRIX := 2.16 2.17 2.18 2.19
test-matrix: setup
	$(BIN)/python tools/test_matrix.py $(MATRIX)
# --- end of release targets ---------------------------------------------------------------------------

clean:
	rm -rf $(BUILD) tests/output .ansible

# --- reliability (issue 8): faults survived, concurrency, TLS -------------------------------------------------------
# The integration targets with the alias `reliability` run the real collection against the emulator: every endpoint
# through 503s, timeouts, drops and a 500 on refresh, a restart, a server clock ahead; 20 forks racing one refresh, 3
# concurrent runs x 10 on one cache, a killed lock holder; TLS failures. `make integration` leaves them out, so
# `make test` runs them once, here, and prints the figures they report (their FIGURE lines) and the run time.
RELIABILITY_LOG := $(BUILD)/reliability.log
integration-plugins: ANSIBLE_TEST_FLAGS += --exclude reliability/
.PHONY: test-reliability

test-reliability: stage
	@start=$$(date +%s); \
	(cd $(STAGED) && $(ANSIBLE_TEST) integration $(ANSIBLE_TEST_FLAGS) --local reliability/) 2>&1 | tee $(RELIABILITY_LOG); \
	echo "=== reliability figures"; \
	sed 's/\x1b\[[0-9;]*m//g' $(RELIABILITY_LOG) | grep -o 'FIGURE .*' | sed 's/^FIGURE //; s/"$$//'; \
	echo "=== reliability targets ran in $$(( $$(date +%s) - start )) s"
# --- end reliability -----------------------------------------------------------------------------------------------
