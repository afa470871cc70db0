#!/usr/bin/env bash
# The leak test: runs leak.yml (every auth method, token_info, state=absent, failures, check mode) at -vvvv with
# --diff, once with the default stdout callback and once with a callback that prints every result as JSON, and
# looks for every password, token and JWT the playbook handled in all that it printed, logged and reported.
#
# No `set -x` here: it would echo the very values this test looks for.
set -eu -o pipefail

output_dir="${OUTPUT_DIR:?OUTPUT_DIR is set by ansible-test}"
inventory="${INVENTORY_PATH:-../../inventory}"
ready_file="$output_dir/tpp-emulator/emulator.json"

export ANSIBLE_ROLES_PATH=..
# Plain text, so that a printed value is one run of characters; task headers with their arguments, as some users have.
export ANSIBLE_NOCOLOR=true ANSIBLE_FORCE_COLOR=false ANSIBLE_DISPLAY_ARGS_TO_STDOUT=true

# The JSON stdout callback lives in ansible.posix; without it, minimal prints every result as JSON too.
callbacks=$(ansible-doc -t callback -l 2>/dev/null || true)
if grep -q '^ansible\.posix\.json ' <<<"$callbacks"; then
    json_callback=ansible.posix.json
else
    json_callback=ansible.builtin.minimal
fi

failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# leak.yml stops the emulator itself; this covers a playbook that died before it could.
stop_emulator() {
    local pid
    if [ -f "$ready_file" ]; then
        pid=$(sed -n 's/.*"pid": *\([0-9][0-9]*\).*/\1/p' "$ready_file")
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
        fi
    fi
}
trap stop_emulator EXIT

# Print a file with every recorded secret value replaced by its kind.
print_masked() {
    local secrets=$1 file=$2
    awk 'NR == FNR { if ($1 != "") { value[++n] = $1; kind[n] = substr($0, length($1) + 2) }; next }
        { for (i = 1; i <= n; i++) while ((p = index($0, value[i])) > 0)
              $0 = substr($0, 1, p - 1) "<" kind[i] ">" substr($0, p + length(value[i]));
          print }' "$secrets" "$file"
}

# run_playbook NAME STDOUT_CALLBACK: run leak.yml, capturing stdout and stderr, the log file and the JUnit report.
run_playbook() {
    local name=$1 callback=$2 status=0
    local run_dir="$output_dir/$name"
    rm -rf "$run_dir"
    mkdir -p "$run_dir/junit"
    echo "=== run '$name': ansible-playbook -vvvv --diff with stdout callback $callback"
    ANSIBLE_STDOUT_CALLBACK="$callback" \
    ANSIBLE_LOG_PATH="$run_dir/ansible.log" \
    ANSIBLE_CALLBACKS_ENABLED=ansible.builtin.junit \
    JUNIT_OUTPUT_DIR="$run_dir/junit" \
        ansible-playbook -i "$inventory" leak.yml -vvvv --diff \
        -e "token_secrets_file=$run_dir/secrets.tsv" >"$run_dir/output.txt" 2>&1 || status=$?
    stop_emulator

    local secrets="$run_dir/secrets.tsv"
    if [ ! -s "$secrets" ]; then
        fail "run '$name': the playbook recorded no secrets (exit status $status); its last lines:"
        tail -n 40 "$run_dir/output.txt" >&2
        return
    fi
    if [ "$status" -ne 0 ]; then
        fail "run '$name': ansible-playbook exited with $status; its last lines, secrets masked:"
        print_masked "$secrets" "$run_dir/output.txt" | tail -n 60 >&2
    fi
    check_run "$name" "$run_dir"
}

# check_run NAME RUN_DIR: the output is real, and holds no recorded secret.
check_run() {
    local name=$1 run_dir=$2
    local secrets="$run_dir/secrets.tsv" output="$run_dir/output.txt"
    local searched=("$output" "$run_dir/ansible.log" "$run_dir/junit")

    # The search means something only if the run printed what it did, at high verbosity, with hidden results.
    [ "$(grep -cF 'venafi_tpp/auth/plugins/modules/token.py' "$output")" -ge 10 ] \
        || fail "run '$name': the output does not show the token module running"
    [ "$(grep -cF 'venafi_tpp/auth/plugins/modules/token_info.py' "$output")" -ge 3 ] \
        || fail "run '$name': the output does not show the token_info module running"
    grep -qF 'ESTABLISH LOCAL CONNECTION' "$output" || fail "run '$name': the output is not at -vvv or more"
    [ "$(grep -cF "no_log: true' was specified for this result" "$output")" -ge 7 ] \
        || fail "run '$name': fewer than 7 results were hidden; the 7 successful token results should be"
    [ -s "$run_dir/ansible.log" ] || fail "run '$name': ansible wrote no log file"
    [ -n "$(find "$run_dir/junit" -type f -name '*.xml')" ] || fail "run '$name': the JUnit callback wrote no report"

    local kind value secret_count=0 control_count=0
    while read -r value kind; do
        [ -n "$value" ] || continue
        if [ "$kind" != "${kind#CONTROL }" ]; then
            control_count=$((control_count + 1))
            grep -rqF -- "$value" "$output" \
                || fail "run '$name': the control value ($kind), which token_info prints, is not in the output: the search is broken"
            continue
        fi
        secret_count=$((secret_count + 1))
        local place
        for place in "${searched[@]}"; do
            if grep -rqF -- "$value" "$place"; then
                fail "LEAK in run '$name': the $kind appears in $(basename "$place")"
            fi
        done
    done <"$secrets"

    # 3 passwords, the JWT, and an access and a refresh token from 7 grants.
    [ "$secret_count" -eq 18 ] || fail "run '$name': expected 18 secret values, the playbook recorded $secret_count"
    [ "$control_count" -eq 1 ] || fail "run '$name': expected 1 control value, the playbook recorded $control_count"
    echo "=== run '$name': searched $(wc -c <"$output") bytes of output, the log and the JUnit report for $secret_count secrets"
}

run_playbook default ansible.builtin.default
run_playbook json "$json_callback"

if [ "$failures" -ne 0 ]; then
    echo "token_secrets: $failures check(s) failed" >&2
    exit 1
fi
echo "token_secrets: no secret appeared in any output"
