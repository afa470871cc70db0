#!/usr/bin/env bash
# The bad-input catalogue: every case of cases.yml against the emulator, with the real collection (run_cases.py), after
# checking that the documentation table generated from the same file is up to date.
set -eu -o pipefail

output_dir="${OUTPUT_DIR:?OUTPUT_DIR is set by ansible-test}"
collection_root="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/venafi_tpp/auth"
python="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python}"

"$python" "$collection_root/tools/bad_inputs_table.py" --check
rm -rf "$output_dir/bad-inputs"
mkdir -p "$output_dir/bad-inputs"
"$python" "$collection_root/tools/with_emulator.py" --workdir "$output_dir/bad-inputs/emulator" -- \
    "$python" run_cases.py "$output_dir/bad-inputs"
