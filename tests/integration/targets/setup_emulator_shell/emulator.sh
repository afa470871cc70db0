# shellcheck shell=bash
# Sourced by the runme.sh targets that drive the TPP emulator (`source ../setup_emulator_shell/emulator.sh TARGET`; their
# aliases say `needs/target/setup_emulator_shell`): the emulator in $workdir, stopped whatever happens, and the helpers they
# share. The caller has set `set -eu -o pipefail`. No `set -x`: it would echo the passwords the playbooks pass.
#
# Exports VENAFI_TPP_URL and VENAFI_TPP_CA_PATH (the collection's connection variables), TPP_EMULATOR_WORKDIR (client
# certificates, JWT keys, seed.json), TPP_SEED_VARS (the seed as Ansible variables, below) and plain ansible output. Sets
# output_dir, collection_root, python, ctl_py and workdir, and the seed's passwords as shell variables named as in Ansible.
# Runs ansible-playbook as ansible_playbook (below): forked from one process that imported it, for each target.

target="${1:?the target that sources this file}"
output_dir="${OUTPUT_DIR:?OUTPUT_DIR is set by ansible-test}"
# shellcheck disable=SC2034  # for the scripts that source this file
collection_root="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/venafi_tpp/auth"
python="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python}"
ctl_py="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/tpp_ctl.py"
workdir="$output_dir/tpp-emulator"
# The request counters that snapshot and charge follow.
counted=('POST /vedauth/authorize/oauth' 'POST /vedauth/authorize/token' 'GET /vedauth/authorize/verify'
    'POST /vedauth/authorize/certificate')

die() {
    echo "FAIL: $*" >&2
    exit 1
}

# ctl_at WORKDIR COMMAND [ARG...]: tpp_ctl.py on the emulator in WORKDIR (counts, stats, expect, now, advance, fault, restart...;
# see its help). ctl COMMAND [ARG...]: the same on this emulator.
ctl_at() {
    "$python" "$ctl_py" "$@"
}

ctl() {
    ctl_at "$workdir" "$@"
}

# start_emulator WORKDIR: one more emulator, for a target that needs two TPP servers, in WORKDIR (under $output_dir), with its
# own port, CA and seed; stopped with the first whatever happens. Prints nothing; WORKDIR/emulator.json has its url and ca_path.
more_workdirs=()
start_emulator() {
    rm -rf "$1"
    more_workdirs+=("$1")
    ctl_at "$1" start >/dev/null
}

# emulator_url WORKDIR: the URL of the emulator in WORKDIR (its CA is WORKDIR/ca.pem).
emulator_url() {
    "$python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["url"])' "$1/emulator.json"
}

stop_emulators() {
    local dir
    if kill "${forks_pid:-}" 2>/dev/null; then wait "$forks_pid" || true; fi
    rm -rf "$forks_dir"
    ctl stop || true
    for dir in ${more_workdirs[@]+"${more_workdirs[@]}"}; do
        ctl_at "$dir" stop || true
    done
}

# no_secret_in FILE... -- KIND:VALUE...: die when a FILE holds a VALUE; the message names its KIND, never the value.
no_secret_in() {
    local files=() file secret
    while [ "$1" != -- ]; do files+=("$1"); shift; done
    shift
    for secret in "$@"; do
        for file in "${files[@]}"; do
            if grep -qF -- "${secret#*:}" "$file"; then
                die "a secret (the ${secret%%:*}) appears in $(basename "$file")"
            fi
        done
    done
}

# figure TEXT: one line of figures, prefixed so that a make target can collect them (make test-reliability does).
figure() {
    echo "FIGURE $target: $*"
}

rm -rf "$workdir"
export ANSIBLE_NOCOLOR=true ANSIBLE_FORCE_COLOR=false ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_RETRY_FILES_ENABLED=false
export ANSIBLE_INVENTORY_UNPARSED_WARNING=false
# The server of playbook_forks.py, with this environment's ANSIBLE_* variables (a runme.sh that sets its own exports them before
# sourcing this file); its socket in a directory of its own, as a socket's path is short. ansible_playbook ARG...:
# ansible-playbook ARG..., forked by that server when the run's ANSIBLE_* variables are the same, else a process of its own.
forks_dir=$(mktemp -d)
trap stop_emulators EXIT
"$python" "$(dirname "$ctl_py")/playbook_forks.py" serve "$forks_dir/socket" </dev/null >"$output_dir/playbook-forks.log" 2>&1 &
forks_pid=$!
ansible_playbook() {
    "$python" "$(dirname "$ctl_py")/playbook_forks.py" run "$forks_dir/socket" "$@"
}
ctl start >/dev/null
VENAFI_TPP_URL=$(emulator_url "$workdir")
export VENAFI_TPP_URL VENAFI_TPP_CA_PATH="$workdir/ca.pem" TPP_EMULATOR_WORKDIR="$workdir"
# The seed the emulator published, as Ansible variables for `ansible-playbook -e "@$TPP_SEED_VARS"` (tpp_seed, and
# tpp_<user>_password: tpp_admin_password, tpp_svc_ansible_password, ...; `playbook` passes them) and as shell variables of
# the same names. Two steps, so that a failure stops the script.
export TPP_SEED_VARS="$workdir/seed-vars.json"
seed_shell=$(ctl seed-vars "$TPP_SEED_VARS")
eval "$seed_shell"

# snapshot: remember the counters, for charge.
snapshot() {
    read -r oauth0 token0 verify0 cert0 < <(ctl counts "${counted[@]}")
}

# charge NAME OAUTH TOKEN VERIFY [CERTIFICATE]: the requests to authorize/oauth, authorize/token (refresh), authorize/verify
# and authorize/certificate since the snapshot must be these ("any" skips one; CERTIFICATE defaults to any). Sets last_oauth,
# last_token, last_verify and last_cert.
charge() {
    local name=$1 oauth1 token1 verify1 cert1
    read -r oauth1 token1 verify1 cert1 < <(ctl counts "${counted[@]}")
    last_oauth=$((oauth1 - oauth0)) last_token=$((token1 - token0)) last_verify=$((verify1 - verify0)) last_cert=$((cert1 - cert0))
    echo "=== $name: $last_oauth authorize/oauth, $last_token authorize/token, $last_verify authorize/verify," \
        "$last_cert authorize/certificate"
    check_count "$name" oauth "$2" "$last_oauth"
    check_count "$name" token "$3" "$last_token"
    check_count "$name" verify "$4" "$last_verify"
    check_count "$name" certificate "${5:-any}" "$last_cert"
}

check_count() {
    [ "$3" = any ] || [ "$3" -eq "$4" ] || die "$1: expected $3 authorize/$2, counted $4"
}

# playbook NAME ARGS...: ansible-playbook ARGS, with the seed's variables, its output in $output_dir/NAME.log; dies with its
# tail on failure.
playbook() {
    local name=$1
    shift
    ansible_playbook -e "@$TPP_SEED_VARS" "$@" >"$output_dir/$name.log" 2>&1 \
        || { tail -n 40 "$output_dir/$name.log" >&2; die "$name: ansible-playbook failed"; }
}

# expect_log NAME TEXT: the run's output holds TEXT.
expect_log() {
    grep -qF -- "$2" "$output_dir/$1.log" || { tail -n 40 "$output_dir/$1.log" >&2; die "$1: no '$2' in the output"; }
}
