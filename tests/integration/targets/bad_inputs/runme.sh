#!/usr/bin/env bash
# The bad-input catalogue: every case of cases.yml against the emulator, with the real collection (run_cases.py), after
# checking that the documentation table generated from the same file is up to date.
# output_dir, collection_root and python come from the helper this script sources.
# shellcheck disable=SC2154
set -eu -o pipefail

# The emulator, stopped whatever happens; VENAFI_TPP_URL, VENAFI_TPP_CA_PATH, TPP_EMULATOR_WORKDIR and TPP_SEED_VARS for run_cases.py.
# shellcheck source=../setup_emulator_shell/emulator.sh
source ../setup_emulator_shell/emulator.sh bad_inputs

"$python" "$collection_root/tools/bad_inputs_table.py" --check
rm -rf "$output_dir/bad-inputs"
mkdir -p "$output_dir/bad-inputs"
"$python" run_cases.py "$output_dir/bad-inputs"
