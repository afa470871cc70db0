#!/usr/bin/env bash
# venafi_tpp.auth.integration_bootstrap over five hosts (connection local, a client JSON path of their own each) against the
# emulator: check mode on nothing, the first run with its smoke test, a repeat with changed=0 in the PLAY RECAP, an administrator's
# token given instead of credentials, a scope change, a mode change, a failure half-way, check mode of absent, absent and its repeat.
# After each run: the PLAY RECAP, the files, the emulator's request counters and active grants, and (twice) TPP's side read
# with api_integration_info. At the end, no password and no administrator token may appear in anything the runs printed.
#
# No `set -x`: it would echo the values this test looks for.
# output_dir and python come from the helper this script sources.
# shellcheck disable=SC2154
set -eu -o pipefail

# The emulator, stopped whatever happens, and ctl and die.
# shellcheck source=../setup_emulator_shell/emulator.sh
source ../setup_emulator_shell/emulator.sh role_integration_bootstrap
inventory="$output_dir/role-bootstrap-fleet.ini"
connection="$output_dir/role-bootstrap-connection.yml"
token_file="$output_dir/role-bootstrap-admin-token.yml"
logs="$output_dir/role-bootstrap-logs"
counters="$output_dir/role-bootstrap-counters.json"
hosts=5
scope1='certificate:discover,manage'
scope2='certificate:discover,manage;ssh:discover'
tpp_url=$VENAFI_TPP_URL

rm -rf "$logs" "$output_dir/role-bootstrap-hosts"
mkdir -p "$logs"

# The connection, as the role's variables (not the VENAFI_TPP_* environment, so that the test shows the variables work).
printf 'integration_bootstrap_url: %s\nintegration_bootstrap_ca_path: %s\n' "$VENAFI_TPP_URL" "$VENAFI_TPP_CA_PATH" >"$connection"
unset VENAFI_TPP_URL VENAFI_TPP_CA_PATH VENAFI_TPP_ACCESS_TOKEN

# client_files SCOPE MODE PATH...: each client JSON holds exactly what the role writes (client_id, scope, url), has MODE, and
# sits in a directory of mode 0755.
client_files() {
    local scope=$1 mode=$2 path wanted
    shift 2
    wanted=$("$python" -c 'import json, sys; print(json.dumps({"client_id": "role-it", "scope": sys.argv[1], "url": sys.argv[2]},
        indent=2, sort_keys=True))' "$scope" "$tpp_url")
    for path in "$@"; do
        [ -f "$path" ] || die "$path does not exist"
        cmp -s "$path" <<<"$wanted" || die "$path holds $(cat "$path"), expected $wanted"
        [ $((8#$(stat -c %a "$path"))) -eq $((8#$mode)) ] || die "$path has mode $(stat -c %a "$path"), expected $mode"
        [ "$(stat -c %a "$(dirname "$path")")" = 755 ] || die "$(dirname "$path") has mode $(stat -c %a "$(dirname "$path")"), expected 0755"
    done
}

# no_client_files PATH...: none of the files exists.
no_client_files() {
    local path
    for path in "$@"; do
        if [ -e "$path" ] || [ -L "$path" ]; then
            die "$path should not exist"
        fi
    done
}

# Five hosts, each with its client JSON in a directory of its own that does not exist yet.
paths=()
{
    echo '[fleet]'
    for number in $(seq 1 "$hosts"); do
        path="$output_dir/role-bootstrap-hosts/host-$number/etc/venafi/role-it.json"
        paths+=("$path")
        echo "bootstrap-host-$number integration_bootstrap_client_json_path=$path"
    done
    echo '[fleet:vars]'
    echo 'ansible_connection=local'
    echo 'ansible_python_interpreter="{{ ansible_playbook_python }}"'
} >"$inventory"

# run NAME EXPECTED_STATUS [ansible-playbook arguments]: one run of bootstrap.yml, output in $logs/NAME.log, counters saved before it.
run() {
    local name=$1 want_status=$2 status=0
    shift 2
    ctl stats >"$counters"
    ansible_playbook -i "$inventory" bootstrap.yml -e "@$connection" -e "@$TPP_SEED_VARS" "$@" >"$logs/$name.log" 2>&1 || status=$?
    if [ "$want_status" = ok ] && [ "$status" -ne 0 ]; then
        tail -n 40 "$logs/$name.log" >&2
        die "$name: ansible-playbook exited with $status"
    fi
    if [ "$want_status" = fail ] && [ "$status" -eq 0 ]; then
        tail -n 40 "$logs/$name.log" >&2
        die "$name: ansible-playbook succeeded, it should have failed"
    fi
    echo "=== $name: ansible-playbook exited with $status"
}

# recap NAME MIN MAX: every host of the fleet is in the PLAY RECAP, none failed or unreachable, each with MIN <= changed <= MAX.
recap() {
    local name=$1 min=$2 max=$3 lines
    lines=$(awk '/^PLAY RECAP/ { on = 1; next }
        on && / : ok=/ { for (i = 3; i <= NF; i++) { split($i, kv, "="); value[kv[1]] = kv[2] }
                         print $1, value["changed"], value["failed"], value["unreachable"] }' "$logs/$name.log")
    [ "$(grep -c '^bootstrap-host-' <<<"$lines")" -eq "$hosts" ] || die "$name: the PLAY RECAP does not list the $hosts hosts: $lines"
    local host changed failed unreachable
    while read -r host changed failed unreachable; do
        if [ "$failed" -ne 0 ] || [ "$unreachable" -ne 0 ]; then
            die "$name: $host failed=$failed unreachable=$unreachable"
        fi
        if [ "$changed" -lt "$min" ] || [ "$changed" -gt "$max" ]; then
            die "$name: $host changed=$changed, expected $min to $max"
        fi
    done <<<"$lines"
    echo "=== $name: PLAY RECAP changed=$(awk '{ print $2 }' <<<"$lines" | paste -sd, -) on the $hosts hosts"
}

# verify_tpp NAME [extra variables]: what TPP holds, read with api_integration_info.
verify_tpp() {
    local name=$1
    shift
    ansible_playbook -i localhost, verify_tpp.yml -e "@$connection" -e "@$TPP_SEED_VARS" -e ansible_connection=local \
        -e 'ansible_python_interpreter={{ ansible_playbook_python }}' "$@" >"$logs/$name.log" 2>&1 \
        || { tail -n 40 "$logs/$name.log" >&2; die "$name: TPP does not hold what it should"; }
    echo "=== $name: TPP holds what it should"
}

expect_output() {
    local name=$1 text=$2
    grep -qF -- "$text" "$logs/$name.log" || { tail -n 40 "$logs/$name.log" >&2; die "$name: the output does not say '$text'"; }
}

# 1. Check mode on nothing: it reports a change on every host, writes no file, and sends no write to TPP. The administrator's token
#    it needs to read the integration is revoked again.
run check-fresh ok --check --diff
recap check-fresh 2 3
no_client_files "${paths[@]}"
ctl expect "$counters" oauth-writes=0 'POST /vedauth/authorize/oauth=1' 'GET /vedauth/revoke/token=1' active_grants=0
expect_output check-fresh '+  "client_id": "role-it",'

# 2. The first run, at -vvv with --diff: the integration, the files on every host, the smoke test; every token revoked.
#    CreateApplication takes no UnusedExpiration, so integration_bootstrap_unused_token_expiration costs an UpdateApplication.
run create ok -vvv --diff
recap create 2 3
client_files "$scope1" 0640 "${paths[@]}"
ctl expect "$counters" 'POST /vedsdk/oauth/createapplication=1' 'POST /vedsdk/oauth/updateapplication=1' 'POST /vedsdk/oauth/createrule=1' oauth-writes=3 \
    'POST /vedauth/authorize/oauth=2' 'GET /vedauth/authorize/verify=1' 'GET /vedauth/revoke/token=2' active_grants=0
expect_output create 'Smoke test passed: svc-ansible obtained a token for role-it with scope certificate:discover,manage'

# 3. The same again changes nothing, on the hosts or on TPP.
run repeat ok
recap repeat 0 0
ctl expect "$counters" oauth-writes=0 active_grants=0
expect_output repeat 'Smoke test passed'

# 4. Check mode with an administrator's token given: no change, no authorization and no revocation by the role, the token still valid.
ctl admin-token "$token_file" role_it_admin_token
run given-token ok --check --diff -vvv -e "@$token_file"
recap given-token 0 0
ctl expect "$counters" oauth-writes=0 'POST /vedauth/authorize/oauth=0' 'GET /vedauth/revoke/token=0'
ctl token-valid "$token_file" yes
admin_token=$(sed -n 's/^role_it_admin_token: //p' "$token_file")
ctl revoke "$token_file"

# 5. A new scope updates TPP and every file.
run scope ok --diff -e "role_it_scope=$scope2"
recap scope 1 2
client_files "$scope2" 0640 "${paths[@]}"
ctl expect "$counters" 'POST /vedsdk/oauth/updateapplication=1' active_grants=0
verify_tpp verify-scope -e "role_it_expect_scope=$scope2"

# 6. A new mode changes every file and nothing on TPP; owner and group given as they are change nothing.
run mode ok -e "role_it_scope=$scope2" -e integration_bootstrap_client_json_mode=0600 \
    -e "integration_bootstrap_client_json_owner=$(id -un)" -e "integration_bootstrap_client_json_group=$(id -gn)"
recap mode 1 1
client_files "$scope2" 0600 "${paths[@]}"
ctl expect "$counters" oauth-writes=0 active_grants=0

# 7. A failure after the administrator's token was obtained: the token is still revoked, and no file changes.
run failure fail -e "role_it_scope=$scope1" -e '{"role_it_identities": ["local:nobody"]}'
expect_output failure 'TPP knows no identity local:nobody'
ctl expect "$counters" oauth-writes=0 'POST /vedauth/authorize/oauth=1' 'GET /vedauth/revoke/token=1' active_grants=0
client_files "$scope2" 0600 "${paths[@]}"

# 7b. An administrator's scope without configuration cannot resolve a new identity (identity/Validate needs it): one line says
#     which scope to request, nothing is written, and the token is still revoked.
run no-configuration fail -e "role_it_scope=$scope2" -e integration_bootstrap_admin_scope=admin:delete \
    -e '{"role_it_identities": ["local:svc-ansible", "local:jdoe"]}'
expect_output no-configuration 'resolving the identity local:jdoe with identity/Validate: access_token lacks the configuration scope'
expect_output no-configuration "(its scope is 'admin:delete'); obtain a token with scope admin:delete;configuration from an API integration"
ctl expect "$counters" oauth-writes=0 'POST /vedauth/authorize/oauth=1' 'GET /vedauth/revoke/token=1' active_grants=0
client_files "$scope2" 0600 "${paths[@]}"

# 8. Check mode of absent removes nothing.
run absent-check ok --check --diff -e integration_bootstrap_state=absent
recap absent-check 1 2
client_files "$scope2" 0600 "${paths[@]}"
ctl expect "$counters" oauth-writes=0 active_grants=0

# 9. Absent removes the files and the integration, and a repeat changes nothing.
run absent ok --diff -e integration_bootstrap_state=absent
recap absent 1 2
no_client_files "${paths[@]}"
ctl expect "$counters" 'POST /vedsdk/oauth/deleteapplication=1' active_grants=0
verify_tpp verify-absent -e role_it_expect_absent=true
run absent-repeat ok -e integration_bootstrap_state=absent
recap absent-repeat 0 0

# No secret in anything printed: the passwords of bootstrap.yml and the administrator's token of run 4.
grep -qF 'ESTABLISH LOCAL CONNECTION' "$logs/create.log" || die "the create run was not at -vvv"
[ "${#admin_token}" -eq 24 ] || die "no administrator token to look for"
no_secret_in "$logs"/*.log -- "admin's password:$tpp_admin_password" "svc-ansible's password:$tpp_svc_ansible_password" \
    "administrator token:$admin_token"
echo "=== no password or administrator token in the output of $(find "$logs" -name '*.log' | wc -l) runs"
echo "role_integration_bootstrap: passed"
