#!/usr/bin/env bash
# The leak test. leak.yml uses every module, the lookup (file and memory cache) and the role, with failures, check mode and
# diff mode, at -vvvv with --diff. It runs twice: with the default stdout callback printing results as YAML, and with the same
# callback printing them as JSON (ansible-core's own JSON output; ansible.posix.json is not available offline). Each run also
# writes the log file (ANSIBLE_LOG_PATH), a JUnit report and the tree callback's JSON file per host. One scan looks for every
# password, access token, refresh token and JWT the playbook handled in all of that, in the client JSON the role wrote, and in
# the names of the lookup's cache files; the cache files' contents must hold no password, and the modes of what the
# collection wrote must be the documented ones. A self-check plants secrets into copies and expects the scan to find them, and a
# loop over registered token results without the documented patterns (loop_unsafe.yml) must show the scan its tokens.
#
# No `set -x` here: it would echo the very values this test looks for.
set -eu -o pipefail

output_dir="${OUTPUT_DIR:?OUTPUT_DIR is set by ansible-test}"
inventory="${INVENTORY_PATH:-../../inventory}"
collection_root="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/venafi_tpp/auth"

export ANSIBLE_ROLES_PATH=..
# Plain text, so that a printed value is one run of characters; task headers with their arguments, as some users have.
export ANSIBLE_NOCOLOR=true ANSIBLE_FORCE_COLOR=false ANSIBLE_DISPLAY_ARGS_TO_STDOUT=true

failures=0 scans=0 hits=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# leak.yml stops the emulator itself (setup_emulator); this covers a playbook that died before it could.
stop_emulator() {
    "${ANSIBLE_TEST_PYTHON_INTERPRETER:-python}" "$collection_root/tests/emulator/launch.py" stop --workdir "$output_dir/tpp-emulator"
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

# scan SECRETS PLACE...: look for each secret of SECRETS (lines of value, space, kind; CONTROL kinds skipped) in every file
# under each PLACE. Adds to $scans (files times secrets) and $hits, and reports each hit, naming the kind, never the value.
scan() {
    local secrets=$1 value kind file
    shift
    while read -r value kind; do
        if [ -z "$value" ] || [ "$kind" != "${kind#CONTROL }" ]; then
            continue
        fi
        while IFS= read -r -d '' file; do
            scans=$((scans + 1))
            if grep -qF -- "$value" "$file"; then
                hits=$((hits + 1))
                echo "LEAK: the $kind appears in ${file#"$output_dir"/}" >&2
            fi
        done < <(find "$@" -type f -print0 2>/dev/null)
    done <"$secrets"
}

# check_mode PATH MODE: PATH exists with MODE.
check_mode() {
    local path=$1 want=$2 mode
    mode=$(stat -c %a "$path" 2>/dev/null) || { fail "$path is missing"; return; }
    [ "$mode" = "$want" ] || fail "${path#"$output_dir"/} has mode $mode, not $want"
}

# run_playbook NAME RESULT_FORMAT: leak.yml at -vvvv --diff with the default stdout callback printing results in
# RESULT_FORMAT, the log file, JUnit and tree; then every check of its outputs.
run_playbook() {
    local name=$1 format=$2 status=0
    local run_dir="$output_dir/$name"
    rm -rf "$run_dir"
    mkdir -p "$run_dir/outputs/junit" "$run_dir/outputs/tree"
    echo "=== run '$name': ansible-playbook -vvvv --diff, default stdout callback with result_format $format, log, junit, tree"
    ANSIBLE_STDOUT_CALLBACK=ansible.builtin.default \
    ANSIBLE_CALLBACK_RESULT_FORMAT="$format" \
    ANSIBLE_LOG_PATH="$run_dir/outputs/ansible.log" \
    ANSIBLE_CALLBACKS_ENABLED=ansible.builtin.junit,ansible.builtin.tree \
    JUNIT_OUTPUT_DIR="$run_dir/outputs/junit" \
    ANSIBLE_CALLBACK_TREE_DIR="$run_dir/outputs/tree" \
        ansible-playbook -i "$inventory" leak.yml -vvvv --diff \
        -e "secrets_run_dir=$run_dir" -e "secrets_file=$run_dir/secrets.tsv" >"$run_dir/outputs/output.txt" 2>&1 || status=$?
    stop_emulator

    local secrets="$run_dir/secrets.tsv" output="$run_dir/outputs/output.txt"
    if [ ! -s "$secrets" ]; then
        fail "run '$name': the playbook recorded no secrets (exit status $status); its last lines:"
        tail -n 40 "$output" >&2
        return
    fi
    if [ "$status" -ne 0 ]; then
        fail "run '$name': ansible-playbook exited with $status; its last lines, secrets masked:"
        print_masked "$secrets" "$output" | tail -n 60 >&2
    fi
    check_outputs "$name" "$run_dir"
    check_files "$name" "$run_dir"
}

# check_outputs NAME RUN_DIR: the outputs are real, and hold no recorded secret.
check_outputs() {
    local name=$1 run_dir=$2
    local secrets="$run_dir/secrets.tsv" output="$run_dir/outputs/output.txt" module

    # The search means something only if the run printed what it did, at high verbosity, with hidden results.
    for module in token token_info api_integration api_integration_info; do
        grep -qF "venafi_tpp/auth/plugins/modules/$module.py" "$output" || fail "run '$name': the output does not show $module running"
    done
    grep -qF 'TASK [venafi_tpp.auth.integration_bootstrap : Write the client JSON' "$output" || fail "run '$name': the role did not run"
    grep -qF 'venafi_tpp.auth.access_token: token' "$output" || fail "run '$name': the lookup logged nothing at -vvvv"
    grep -qF 'ESTABLISH LOCAL CONNECTION' "$output" || fail "run '$name': the output is not at -vvv or more"
    [ "$(grep -cF 'the output has been hidden due to the fact that' "$output")" -ge 8 ] \
        || fail "run '$name': fewer than 8 results were hidden; the 8 successful token results should be"
    [ -s "$run_dir/outputs/ansible.log" ] || fail "run '$name': ansible wrote no log file"
    [ -n "$(find "$run_dir/outputs/junit" -type f -name '*.xml')" ] || fail "run '$name': the JUnit callback wrote no report"
    [ -n "$(find "$run_dir/outputs/tree" -type f)" ] || fail "run '$name': the tree callback wrote nothing"

    local value kind secret_count=0
    while read -r value kind; do
        if [ "$kind" != "${kind#CONTROL }" ]; then
            grep -qF -- "$value" "$output" \
                || fail "run '$name': the control value ($kind), which token_info prints, is not in the output: the search is broken"
        else
            secret_count=$((secret_count + 1))
        fi
    done <"$secrets"
    # 4 passwords, the JWT, an access and a refresh token from 7 grants of the token module and from the administrator's,
    # the lookup's two access tokens, and the access and refresh token in the lookup's cache file.
    [ "$secret_count" -eq 25 ] || fail "run '$name': expected 25 secret values, the playbook recorded $secret_count"

    local before=$scans
    scan "$secrets" "$run_dir/outputs" "$run_dir/client-json"
    echo "=== run '$name': $((scans - before)) scans ($secret_count secrets in $(find "$run_dir/outputs" "$run_dir/client-json" -type f | wc -l) files:" \
        "$(wc -c <"$output") bytes of output, the log, JUnit, tree, the client JSON)"
}

# check_files NAME RUN_DIR: the lookup's cache (no secret in a file name, no password in a file, modes 0700 and 0600) and the
# role's client JSON (mode 0640, the default).
check_files() {
    local name=$1 run_dir=$2
    local cache="$run_dir/token-cache" path
    [ -n "$(find "$cache" -name '*.json')" ] || fail "run '$name': the lookup wrote no cache file"
    find "$cache" -mindepth 1 -printf '%f\n' >"$run_dir/cache-names.txt"
    grep ' password: ' "$run_dir/secrets.tsv" >"$run_dir/passwords.tsv" || fail "run '$name': no password recorded"
    scan "$run_dir/secrets.tsv" "$run_dir/cache-names.txt"
    scan "$run_dir/passwords.tsv" "$cache"
    check_mode "$cache" 700
    for path in "$cache"/* "$cache"/.[!.]*; do
        [ -e "$path" ] && check_mode "$path" 600
    done
    check_mode "$run_dir/client-json/secrets-role.json" 640
}

# The scan must be able to fail: plant a token into a copy of an output and a password into a cache file name.
self_check() {
    local run_dir=$1 planted="$1/self-check" token password
    token=$(awk '$NF == "access_token" { print $1; exit }' "$run_dir/secrets.tsv")
    password=$(awk '/ password: / { print $1; exit }' "$run_dir/secrets.tsv")
    if [ -z "$token" ] || [ -z "$password" ]; then
        fail "self-check: nothing to plant"
        return
    fi
    mkdir -p "$planted"
    awk -v token="$token" 'NR == 100 { $0 = $0 " Bearer " token } { print }' "$run_dir/outputs/output.txt" >"$planted/output.txt"
    touch "$planted/$password.json"
    find "$planted" -mindepth 1 -printf '%f\n' >"$planted/names.txt"
    local saved_scans=$scans saved_hits=$hits
    scan "$run_dir/secrets.tsv" "$planted/output.txt" "$planted/names.txt" 2>/dev/null
    [ $((hits - saved_hits)) -eq 2 ] || fail "self-check: the scan found $((hits - saved_hits)) of the 2 planted secrets"
    echo "=== self-check: the scan found the $((hits - saved_hits)) planted secrets (a token in the output, a password in a file name)"
    scans=$saved_scans hits=$saved_hits
}

# The loop patterns leak.yml uses are needed: the same loop without them (loop_unsafe.yml) prints the tokens at -v, and the scan
# finds them there.
unsafe_loop_check() {
    local run_dir="$output_dir/loop-unsafe" status=0
    rm -rf "$run_dir"
    mkdir -p "$run_dir/outputs"
    ansible-playbook -i "$inventory" loop_unsafe.yml -v -e "secrets_file=$run_dir/secrets.tsv" >"$run_dir/outputs/output.txt" 2>&1 || status=$?
    stop_emulator
    if [ "$status" -ne 0 ] || [ ! -s "$run_dir/secrets.tsv" ]; then
        fail "loop check: loop_unsafe.yml failed (exit status $status) or recorded no token"
        return
    fi
    local saved_scans=$scans saved_hits=$hits
    scan "$run_dir/secrets.tsv" "$run_dir/outputs" 2>/dev/null
    [ $((hits - saved_hits)) -eq 4 ] || fail "loop check: the scan found $((hits - saved_hits)) of the 4 tokens a loop over registered results prints"
    echo "=== loop check: a loop over registered token results with only a label printed all $((hits - saved_hits)) tokens at -v"
    scans=$saved_scans hits=$saved_hits
}

run_playbook yaml yaml
run_playbook json json
self_check "$output_dir/json"
unsafe_loop_check

echo "secrets: $scans scans (secret values x output files, cache file names, cache contents for passwords), $hits hits"
if [ "$hits" -ne 0 ] || [ "$failures" -ne 0 ]; then
    echo "secrets: $hits leak(s), $failures other check(s) failed" >&2
    exit 1
fi
echo "secrets: no secret appeared in any output, cache file name or client JSON; every mode as documented"
