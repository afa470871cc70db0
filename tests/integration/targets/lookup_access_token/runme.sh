#!/usr/bin/env bash
# venafi_tpp.auth.access_token against the emulator, as playbook runs over 40 hosts with 8 forks: what each run costs
# in authorizations (the emulator's request counters), through access-token expiry, grant expiry, an out-of-band
# revocation, two runs started together, cache: none, and cache files that must not be trusted.
#
# No `set -x`: it would echo the password this test looks for.
# output_dir, python, workdir and the counters (last_*) come from the helper this script sources.
# shellcheck disable=SC2154
set -eu -o pipefail

# The emulator, stopped whatever happens, and ctl, snapshot, charge, playbook, expect_log and die.
# shellcheck source=../setup_emulator_shell/emulator.sh
source ../setup_emulator_shell/emulator.sh lookup_access_token
inventory="$output_dir/fleet.ini"
hosts=40
forks=8
password=$tpp_svc_ansible_password
access_validity=7776000
grant_validity=31536000
day=86400
export VENAFI_TPP_CACHE_DIR="$output_dir/token-cache"
rm -rf "$VENAFI_TPP_CACHE_DIR" "$VENAFI_TPP_CACHE_DIR-concurrent"

# The fleet: client_id and credentials as inventory variables, url and ca_path from the environment, scope as a keyword.
# The password variable is a template, as with a vaulted variable: the lookup must render it.
{
    echo '[fleet]'
    for number in $(seq -w 1 "$hosts"); do echo "fleet-host-$number"; done
    echo '[fleet:vars]'
    echo 'ansible_connection=local'
    echo 'venafi_tpp_client_id=vcert-sdk'
    echo 'venafi_tpp_username=svc-ansible'
    echo "lookup_access_token_password=$password"
    echo 'venafi_tpp_password="{{ lookup_access_token_password }}"'
} >"$inventory"

# run_fleet NAME OAUTH REFRESH [ansible-playbook arguments]: one run of use_token.yml, and the requests it cost (charge:
# authorize/oauth and authorize/token; REFRESH may be "any"). The output goes to $output_dir/NAME.log.
run_fleet() {
    local name=$1 want_oauth=$2 want_refresh=$3
    shift 3
    snapshot
    SECONDS=0
    playbook "$name" -i "$inventory" -f "$forks" use_token.yml -e lookup_access_token_cache=file -e lookup_access_token_distinct=1 \
        -e lookup_access_token_revoke=false "$@"
    echo "=== $name: ${SECONDS} s (the authorize/verify count includes the check's)"
    charge "$name" "$want_oauth" "$want_refresh" any
}

cache_file() {
    local files=("$VENAFI_TPP_CACHE_DIR"/*.json)
    [ "${#files[@]}" -eq 1 ] || die "expected one cache file in $VENAFI_TPP_CACHE_DIR, found ${#files[@]}"
    echo "${files[0]}"
}

check_cache_files() {
    local name=$1 path
    [ "$(stat -c %a "$VENAFI_TPP_CACHE_DIR")" = 700 ] || die "$name: the cache directory has mode $(stat -c %a "$VENAFI_TPP_CACHE_DIR")"
    for path in "$VENAFI_TPP_CACHE_DIR"/* "$VENAFI_TPP_CACHE_DIR"/.[!.]*; do
        [ -e "$path" ] || continue
        [[ "$(basename "$path")" =~ ^[0-9a-f]{64}\.(json|lock)$ ]] || die "$name: unexpected file $path in the cache"
        [ "$(stat -c %a "$path")" = 600 ] || die "$name: $path has mode $(stat -c %a "$path")"
        [ "$(stat -c %u "$path")" = "$(id -u)" ] || die "$name: $path does not belong to uid $(id -u)"
    done
    ! grep -rqF -- "$password" "$VENAFI_TPP_CACHE_DIR" || die "$name: the password is in the cache"
}

# 1. An empty cache: one authorization for the whole fleet.
run_fleet first-run 1 0
check_cache_files first-run

# 2. The next run reuses it (one cheap authorize/verify, no grant). At -vvv, nothing secret shows.
run_fleet second-run 0 0 -vvv
[ "$last_verify" -eq 2 ] || die "second-run: expected one authorize/verify by the lookup and one by the check, counted $last_verify"
grep -qF 'venafi_tpp.auth.access_token: token' "$output_dir/second-run.log" || die "second-run: the lookup logged nothing at -vvv"
while read -r secret; do
    ! grep -qF -- "$secret" "$output_dir/second-run.log" || die "second-run: a secret appears in the -vvv output"
done < <("$python" -c 'import json, sys; e = json.load(open(sys.argv[1])); print(e["access_token"]); print(e["refresh_token"]); print(sys.argv[2])' \
    "$(cache_file)" "$password")

# 3. The server clock moves past the access token's expiry: one refresh, no authorization.
ctl advance $((access_validity + day))
run_fleet past-token-expiry 0 1
check_cache_files past-token-expiry

# 4. Past the grant's expiry: one authorization (after a refresh TPP refuses).
ctl advance "$grant_validity"
run_fleet past-grant-expiry 1 any

# 5. The grant is revoked out of band; the next run authorizes again, and its token works.
run_fleet revoke 0 0 -e lookup_access_token_revoke=true
run_fleet after-revocation 1 any

# 6. cache: none authorizes on every call.
run_fleet cache-none "$hosts" 0 -e lookup_access_token_cache=none -e lookup_access_token_distinct="$hosts"

# 7. Cache files that must not be trusted are ignored with a warning, and replaced.
printf '{"access_token": "forged' >"$(cache_file)"
run_fleet corrupt-file 1 0
expect_log corrupt-file "ignoring the token cache file $(cache_file): it is not valid JSON; it will be replaced"
check_cache_files corrupt-file

chmod 0644 "$(cache_file)"
run_fleet loose-file-mode 1 0
expect_log loose-file-mode "ignoring the token cache file $(cache_file): its mode is 0644, not 0600; it will be replaced"
check_cache_files loose-file-mode

if [ "$(id -u)" -eq 0 ]; then
    chown 65534:65534 "$(cache_file)"
    run_fleet foreign-owner 1 0
    expect_log foreign-owner "ignoring the token cache file $(cache_file): it belongs to uid 65534, not to you (uid 0); it will be replaced"
    check_cache_files foreign-owner
fi

chmod 0755 "$VENAFI_TPP_CACHE_DIR"
run_fleet loose-directory-mode 0 0
expect_log loose-directory-mode "the token cache directory $VENAFI_TPP_CACHE_DIR had mode 0755; it is now 0700"
check_cache_files loose-directory-mode

# 8. Another auth method through variables: the client certificate, one authorize/certificate for the fleet.
run_fleet certificate 0 0 -e venafi_tpp_auth_method=certificate -e "venafi_tpp_client_cert=$workdir/clients/svc-ansible.pem" \
    -e "venafi_tpp_client_key=$workdir/clients/svc-ansible.key"
[ "$last_cert" -eq 1 ] || die "certificate: expected one POST /vedauth/authorize/certificate, counted $last_cert"

# 9. Two runs started at the same moment on an empty cache: one authorization in total.
export VENAFI_TPP_CACHE_DIR="$VENAFI_TPP_CACHE_DIR-concurrent"
snapshot
pids=()
for run in a b; do
    ansible_playbook -i "$inventory" -f "$forks" use_token.yml -e lookup_access_token_cache=file -e lookup_access_token_distinct=1 \
        -e lookup_access_token_revoke=false >"$output_dir/concurrent-$run.log" 2>&1 &
    pids+=($!)
done
for index in 0 1; do
    wait "${pids[$index]}" || { tail -n 40 "$output_dir/concurrent-$([ "$index" -eq 0 ] && echo a || echo b).log" >&2; die "concurrent runs: a run failed"; }
done
# One authorization and no refresh in total.
charge "concurrent runs" 1 0 any
check_cache_files concurrent

# 10. A relative client_json, with the working directory elsewhere: the lookup and the token module both find files/client.json
# next to the playbook. The working directory holds a client JSON of an integration TPP does not know, which would fail the run.
here=$PWD
mkdir -p "$output_dir/elsewhere"
printf '{"client_id": "not-this-integration", "scope": "ssh"}\n' >"$output_dir/elsewhere/client.json"
(cd "$output_dir/elsewhere" && playbook relative-client-json -i "$inventory" "$here/client_json.yml")

echo "lookup_access_token: all checks passed"
