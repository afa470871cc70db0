#!/usr/bin/env bash
# The revoke_at_exit callback the way AWX runs jobs: jobs.py runs the AWX/AAP guide's playbooks ten times with ansible-runner,
# each job in a fresh private data directory with a fresh token cache, the credential injected by the guide's injectors;
# without the callback ten grants stay active, with it none.
# output_dir, python, collection_root and ctl_py come from the helper this script sources.
# shellcheck disable=SC2154
set -eu -o pipefail

# shellcheck source=../setup_emulator_shell/emulator.sh
source ../setup_emulator_shell/emulator.sh revoke_at_exit

"$python" jobs.py "$collection_root" "$output_dir" "$ctl_py"
