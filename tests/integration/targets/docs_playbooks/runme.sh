#!/usr/bin/env bash
# Every playbook of README.md, the roles' READMEs, docs/docsite/rst and docs/examples, read from those files, against the
# emulator with --check --diff and normally; docs_playbooks.py says how they are extracted and what each run must leave.
# output_dir, collection_root, python and ctl_py come from the helper this script sources.
# shellcheck disable=SC2154
set -eu -o pipefail

# shellcheck source=../setup_emulator_shell/emulator.sh
source ../setup_emulator_shell/emulator.sh docs_playbooks

"$python" docs_playbooks.py "$collection_root" "$output_dir" "$ctl_py"
