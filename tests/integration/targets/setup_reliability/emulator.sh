# shellcheck shell=bash
# Sourced by the reliability targets' runme.sh (`source ../setup_reliability/emulator.sh TARGET`): the TPP emulator in
# $workdir, stopped whatever happens, and the helpers they share. The caller has set `set -eu -o pipefail`.
# No `set -x`: it would echo the passwords the playbooks pass.

target="${1:?the target that sources this file}"
output_dir="${OUTPUT_DIR:?OUTPUT_DIR is set by ansible-test}"
python="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python}"
ctl_py="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/tpp_ctl.py"
workdir="$output_dir/tpp-emulator"
# The request counters that runs are charged with.
counted=('POST /vedauth/authorize/oauth' 'POST /vedauth/authorize/token' 'GET /vedauth/authorize/verify')

die() {
    echo "FAIL: $*" >&2
    exit 1
}

ctl() {
    "$python" "$ctl_py" "$workdir" "$@"
}

# figure TEXT: one line of the figures that `make test-reliability` collects.
figure() {
    echo "FIGURE $target: $*"
}

rm -rf "$workdir"
trap 'ctl stop || true' EXIT
ctl start >/dev/null
VENAFI_TPP_URL=$("$python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["url"])' "$workdir/emulator.json")
export VENAFI_TPP_URL VENAFI_TPP_CA_PATH="$workdir/ca.pem" TPP_EMULATOR_WORKDIR="$workdir"
export ANSIBLE_NOCOLOR=true ANSIBLE_FORCE_COLOR=false ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_RETRY_FILES_ENABLED=false
export ANSIBLE_INVENTORY_UNPARSED_WARNING=false ANSIBLE_PIPELINING=true

# snapshot: remember the counters, for charge.
snapshot() {
    read -r oauth0 token0 verify0 < <(ctl counts "${counted[@]}")
}

# charge NAME OAUTH TOKEN VERIFY: the requests since the snapshot must be these ("any" skips one); sets last_*.
charge() {
    local name=$1
    read -r oauth1 token1 verify1 < <(ctl counts "${counted[@]}")
    last_oauth=$((oauth1 - oauth0)) last_token=$((token1 - token0)) last_verify=$((verify1 - verify0))
    echo "=== $name: $last_oauth authorize/oauth, $last_token authorize/token, $last_verify authorize/verify"
    check_count "$name" oauth "$2" "$last_oauth"
    check_count "$name" token "$3" "$last_token"
    check_count "$name" verify "$4" "$last_verify"
}

check_count() {
    [ "$3" = any ] || [ "$3" -eq "$4" ] || die "$1: expected $3 authorize/$2, counted $4"
}

# playbook NAME ARGS...: ansible-playbook ARGS with its output in $output_dir/NAME.log; dies with its tail on failure.
playbook() {
    local name=$1
    shift
    ansible-playbook "$@" >"$output_dir/$name.log" 2>&1 || { tail -n 40 "$output_dir/$name.log" >&2; die "$name: ansible-playbook failed"; }
}

# expect_log NAME TEXT: the run's output holds TEXT.
expect_log() {
    grep -qF -- "$2" "$output_dir/$1.log" || { tail -n 40 "$output_dir/$1.log" >&2; die "$1: no '$2' in the output"; }
}
