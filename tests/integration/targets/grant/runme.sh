#!/usr/bin/env bash
# grant_info and grant against the emulator (grants.yml, at -vvvv, where no token value may appear); grant_info's requests on an
# integration with 5000 grants; and a fleet run with the access_token lookup and the revoke_at_exit callback, which must leave
# the active grant count where it started, and leave alone a grant it only reused.
#
# No `set -x`: it would echo the passwords.
# output_dir, python, workdir and the seed's passwords come from the helper this script sources.
# shellcheck disable=SC2154
set -eu -o pipefail

# shellcheck source=../setup_emulator_shell/emulator.sh
source ../setup_emulator_shell/emulator.sh grant
started=$SECONDS

active_grants() {
    ctl stats | "$python" -c 'import json, sys; print(json.load(sys.stdin)["active_grants"])'
}

# 1. The modules, at -vvvv.
tokens="$output_dir/grant-tokens.txt"
playbook grants grants.yml -vvvv -e "grant_tokens_file=$tokens"
[ "$(grep -c . "$tokens")" -eq 12 ] || die "grants: expected 12 token values in $tokens"
while read -r token || [ -n "$token" ]; do
    ! grep -qF -- "$token" "$output_dir/grants.log" || die "grants: a token value appears in the -vvvv output"
done <"$tokens"
rm -f "$tokens"
echo "=== grants: every check passed; no token value in the -vvvv output"

# 2. grant_info on an integration with 5000 grants more: requests grow with pages, not with grants.
# vcert-sdk holds the two grants grants.yml left (svc-ansible's and svc-win's), and 5000 more.
ctl grants vcert-sdk svc-ansible 5000 >/dev/null
expected=5002
ctl admin-token "$output_dir/admin-token.yml" grant_admin_token
read -r before < <(ctl counts 'POST /vedsdk/oauth/enumerategrants')
playbook many many.yml -e "@$output_dir/admin-token.yml" -e "grant_many_expected=$expected" -e "grant_many_count_file=$output_dir/many.txt"
read -r after < <(ctl counts 'POST /vedsdk/oauth/enumerategrants')
ctl revoke "$output_dir/admin-token.yml" >/dev/null
listed=$(cat "$output_dir/many.txt")
requests=$((after - before))
[ "$requests" -eq $((listed / 1000 + 1)) ] || die "many: $requests EnumerateGrants requests for $listed grants"
figure "grant_info read $listed grants of one integration with $requests EnumerateGrants requests"

# 3. A fleet with the lookup and the callback: the grant the run obtains ends with it.
export VENAFI_TPP_CLIENT_ID=vcert-sdk VENAFI_TPP_SCOPE=certificate:manage VENAFI_TPP_USERNAME=svc-ansible
export VENAFI_TPP_PASSWORD="$tpp_svc_ansible_password" VENAFI_TPP_CACHE_DIR="$output_dir/token-cache"
inventory="$output_dir/fleet.ini"
{
    echo '[fleet]'
    for number in 1 2 3 4; do echo "fleet-host-$number"; done
    echo '[fleet:vars]'
    echo 'ansible_connection=local'
    echo 'ansible_python_interpreter="{{ ansible_playbook_python }}"'
} >"$inventory"
callback=venafi_tpp.auth.revoke_at_exit
start_count=$(active_grants)
ANSIBLE_CALLBACKS_ENABLED=$callback playbook fleet-callback -i "$inventory" -f 4 fleet.yml
expect_log fleet-callback "$callback: revoked 1 grant that the access_token lookup obtained during this run"
[ "$(active_grants)" -eq "$start_count" ] || die "fleet-callback: active grants went from $start_count to $(active_grants)"
! ls "$VENAFI_TPP_CACHE_DIR"/*.json >/dev/null 2>&1 || die "fleet-callback: the revoked token is still in the cache"

# A run without the callback leaves its grant in the cache; the next run with the callback only reuses it, so leaves it.
playbook fleet-cached -i "$inventory" -f 4 fleet.yml
ANSIBLE_CALLBACKS_ENABLED=$callback playbook fleet-reused -i "$inventory" -f 4 fleet.yml
expect_log fleet-reused "$callback: revoked 0 grants that the access_token lookup obtained during this run"
[ "$(active_grants)" -eq $((start_count + 1)) ] || die "fleet-reused: expected $((start_count + 1)) active grants, found $(active_grants)"
figure "a fleet run with the lookup and revoke_at_exit: active grants $start_count before, $start_count after"
echo "=== grant: passed in $((SECONDS - started)) s"
