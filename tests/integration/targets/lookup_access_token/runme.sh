#!/usr/bin/env bash
# venafi_tpp.auth.access_token against the emulator, as playbook runs over 40 hosts with 8 forks: what each run costs
# in authorizations (the emulator's request counters), through access-token expiry, grant expiry, an out-of-band
# revocation, two runs started together, cache: none, and cache files that must not be trusted.
#
# No `set -x`: it would echo the password this test looks for.
set -eu -o pipefail

output_dir="${OUTPUT_DIR:?OUTPUT_DIR is set by ansible-test}"
collection_root="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/venafi_tpp/auth"
python="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python}"
workdir="$output_dir/lookup-access-token-emulator"
inventory="$output_dir/fleet.ini"
hosts=40
forks=8
password=svc-pass-1
access_validity=7776000
grant_validity=31536000
day=86400

die() {
    echo "FAIL: $*" >&2
    exit 1
}

# The emulator, stopped whatever happens.
rm -rf "$workdir"
mkdir -p "$workdir"
"$python" "$collection_root/tests/emulator/serve.py" --workdir "$workdir" --port 0 >"$workdir/serve.log" 2>&1 &
emulator_pid=$!
trap 'kill "$emulator_pid" 2>/dev/null || true' EXIT
for _ in $(seq 600); do
    [ -s "$workdir/emulator.json" ] && break
    kill -0 "$emulator_pid" 2>/dev/null || { cat "$workdir/serve.log" >&2; die "the emulator did not start"; }
    sleep 0.1
done
[ -s "$workdir/emulator.json" ] || die "the emulator was not ready within 60 s"
VENAFI_TPP_URL=$("$python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["url"])' "$workdir/emulator.json")
export VENAFI_TPP_URL VENAFI_TPP_CA_PATH="$workdir/ca.pem"
export VENAFI_TPP_CACHE_DIR="$output_dir/token-cache"
export ANSIBLE_NOCOLOR=true ANSIBLE_LOCALHOST_WARNING=false
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

# The counters: authorize/oauth, authorize/token (refresh), authorize/verify, authorize/certificate.
counts() {
    "$python" emulator_control.py counts
}

# run_fleet NAME OAUTH REFRESH [ansible-playbook arguments]: one run of use_token.yml, and the requests it cost.
# REFRESH may be "any". The output goes to $output_dir/NAME.log.
run_fleet() {
    local name=$1 want_oauth=$2 want_refresh=$3 oauth0 refresh0 verify0 cert0 oauth1 refresh1 verify1 cert1
    shift 3
    read -r oauth0 refresh0 verify0 cert0 < <(counts)
    SECONDS=0
    ansible-playbook -i "$inventory" -f "$forks" use_token.yml -e lookup_access_token_cache=file -e lookup_access_token_distinct=1 \
        -e lookup_access_token_revoke=false "$@" >"$output_dir/$name.log" 2>&1 \
        || { tail -n 40 "$output_dir/$name.log" >&2; die "$name: ansible-playbook failed"; }
    read -r oauth1 refresh1 verify1 cert1 < <(counts)
    last_oauth=$((oauth1 - oauth0)) last_refresh=$((refresh1 - refresh0)) last_verify=$((verify1 - verify0)) last_cert=$((cert1 - cert0))
    echo "=== $name: $last_oauth authorize/oauth, $last_refresh authorize/token, $last_verify authorize/verify (check included), ${SECONDS} s"
    [ "$last_oauth" -eq "$want_oauth" ] || die "$name: expected $want_oauth POST /vedauth/authorize/oauth, counted $last_oauth"
    [ "$want_refresh" = any ] || [ "$last_refresh" -eq "$want_refresh" ] \
        || die "$name: expected $want_refresh POST /vedauth/authorize/token, counted $last_refresh"
}

expect_warning() {
    local name=$1 text=$2
    grep -qF -- "$text" "$output_dir/$name.log" || { tail -n 40 "$output_dir/$name.log" >&2; die "$name: no warning '$text'"; }
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
"$python" emulator_control.py advance $((access_validity + day))
run_fleet past-token-expiry 0 1
check_cache_files past-token-expiry

# 4. Past the grant's expiry: one authorization (after a refresh TPP refuses).
"$python" emulator_control.py advance "$grant_validity"
run_fleet past-grant-expiry 1 any

# 5. The grant is revoked out of band; the next run authorizes again, and its token works.
run_fleet revoke 0 0 -e lookup_access_token_revoke=true
run_fleet after-revocation 1 any

# 6. cache: none authorizes on every call.
run_fleet cache-none "$hosts" 0 -e lookup_access_token_cache=none -e lookup_access_token_distinct="$hosts"

# 7. Cache files that must not be trusted are ignored with a warning, and replaced.
printf '{"access_token": "forged' >"$(cache_file)"
run_fleet corrupt-file 1 0
expect_warning corrupt-file "ignoring the token cache file $(cache_file): it is not valid JSON; it will be replaced"
check_cache_files corrupt-file

chmod 0644 "$(cache_file)"
run_fleet loose-file-mode 1 0
expect_warning loose-file-mode "ignoring the token cache file $(cache_file): its mode is 0644, not 0600; it will be replaced"
check_cache_files loose-file-mode

if [ "$(id -u)" -eq 0 ]; then
    chown 65534:65534 "$(cache_file)"
    run_fleet foreign-owner 1 0
    expect_warning foreign-owner "ignoring the token cache file $(cache_file): it belongs to uid 65534, not to you (uid 0); it will be replaced"
    check_cache_files foreign-owner
fi

chmod 0755 "$VENAFI_TPP_CACHE_DIR"
run_fleet loose-directory-mode 0 0
expect_warning loose-directory-mode "the token cache directory $VENAFI_TPP_CACHE_DIR had mode 0755; it is now 0700"
check_cache_files loose-directory-mode

# 8. Another auth method through variables: the client certificate, one authorize/certificate for the fleet.
run_fleet certificate 0 0 -e venafi_tpp_auth_method=certificate -e "venafi_tpp_client_cert=$workdir/clients/svc-ansible.pem" \
    -e "venafi_tpp_client_key=$workdir/clients/svc-ansible.key"
[ "$last_cert" -eq 1 ] || die "certificate: expected one POST /vedauth/authorize/certificate, counted $last_cert"

# 9. Two runs started at the same moment on an empty cache: one authorization in total.
export VENAFI_TPP_CACHE_DIR="$VENAFI_TPP_CACHE_DIR-concurrent"
read -r oauth0 refresh0 _verify0 _cert0 < <(counts)
pids=()
for run in a b; do
    ansible-playbook -i "$inventory" -f "$forks" use_token.yml -e lookup_access_token_cache=file -e lookup_access_token_distinct=1 \
        -e lookup_access_token_revoke=false >"$output_dir/concurrent-$run.log" 2>&1 &
    pids+=($!)
done
for index in 0 1; do
    wait "${pids[$index]}" || { tail -n 40 "$output_dir/concurrent-$([ "$index" -eq 0 ] && echo a || echo b).log" >&2; die "concurrent runs: a run failed"; }
done
read -r oauth1 refresh1 _verify1 _cert1 < <(counts)
echo "=== concurrent runs: $((oauth1 - oauth0)) authorize/oauth, $((refresh1 - refresh0)) authorize/token"
[ $((oauth1 - oauth0)) -eq 1 ] || die "concurrent runs: expected 1 POST /vedauth/authorize/oauth in total, counted $((oauth1 - oauth0))"
[ $((refresh1 - refresh0)) -eq 0 ] || die "concurrent runs: expected no refresh, counted $((refresh1 - refresh0))"
check_cache_files concurrent

echo "lookup_access_token: all checks passed"
