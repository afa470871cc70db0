#!/usr/bin/env bash
# venafi_tpp.auth.oauth_configuration between two emulators, staging and production: check mode on staging, the declaration
# applied to staging and exported, the export applied to a fresh production (its one server-specific field rewritten) and
# exported again, the two exports compared, a repeat that writes nothing (its request counts are the figure), purge with an
# administrator's token, and bad input refused before any request. No secret may appear in any output or export.
#
# OAUTH_CONFIGURATION_EXTRA_INTEGRATIONS=N adds N generated integrations to the declaration, for the figure with more items (16:
# 20 integrations in all; each costs a few seconds, so not by default). ansible-test does not pass it on: run this script itself,
# from this directory of the staged collection, with OUTPUT_DIR (an empty directory) and ANSIBLE_COLLECTIONS_PATH set.
# No `set -x`: it would echo the values this test looks for.
# output_dir and python come from the helper this script sources.
# shellcheck disable=SC2154
set -eu -o pipefail

# The staging emulator (ctl, playbook, die...), and production beside it.
# shellcheck source=../setup_emulator_shell/emulator.sh
source ../setup_emulator_shell/emulator.sh role_oauth_configuration
# shellcheck disable=SC2034  # read as ${!dir_var} below
staging_dir=$workdir
production_dir="$output_dir/tpp-emulator-production"
start_emulator "$production_dir"
staging_url=$VENAFI_TPP_URL
production_url=$(emulator_url "$production_dir")
unset VENAFI_TPP_URL VENAFI_TPP_CA_PATH VENAFI_TPP_ACCESS_TOKEN
files="$output_dir/oauth-configuration"
rm -rf "$files"
mkdir -p "$files"
counters="$files/counters.json"
extra=${OAUTH_CONFIGURATION_EXTRA_INTEGRATIONS:-0}

# The connection and the administrator's credentials of each server, as the role's variables.
for server in staging production; do
    dir_var=${server}_dir url_var=${server}_url
    printf 'oauth_configuration_url: %s\noauth_configuration_ca_path: %s\n' "${!url_var}" "${!dir_var}/ca.pem" >"$files/$server.yml"
    cp "$files/$server.yml" "$files/$server-admin.yml"
    printf 'oauth_configuration_admin_username: admin\noauth_configuration_admin_client_id: tpp-admin\n' >>"$files/$server-admin.yml"
    echo 'oauth_configuration_admin_password: "{{ tpp_admin_password }}"' >>"$files/$server-admin.yml"
done

# The staging declaration, with the generated integrations.
"$python" - staging.yml "$files/declaration.json" "$extra" <<'PYTHON'
import json, sys, yaml
declaration = yaml.safe_load(open(sys.argv[1]))
declaration['oauth_configuration_integrations'] += [
    {'name': 'generated-%02d' % number, 'scope': 'certificate:discover', 'allowed_identities': ['local:jdoe']} for number in range(int(sys.argv[3]))]
json.dump(declaration, open(sys.argv[2], 'w'))
PYTHON

# recap NAME CHANGED: the PLAY RECAP says changed=CHANGED (any: not checked) and failed=0.
recap() {
    local line
    line=$(grep -E '^localhost +: ok=' "$output_dir/$1.log")
    grep -q 'failed=0' <<<"$line" || die "$1: $line"
    [ "$2" = any ] || grep -q "changed=$2 " <<<"$line" || die "$1: expected changed=$2: $line"
}

# 1. Check mode with diff on staging: reports the changes, writes nothing, leaves no grant.
ctl stats >"$counters"
playbook check oauth.yml -e "@$files/staging-admin.yml" -e "@$files/declaration.json" --check --diff
recap check any
expect_log check '+    "client_id": "ansible-automation",'
expect_log check '+    "name": "deployer",'
expect_log check '+    "identity_match": "^system:serviceaccount:ci:(.+)$",'
ctl expect "$counters" oauth-writes=0 active_grants=0
echo "=== check mode on staging: changes shown, nothing written"

# 2. The declaration applied to staging, then exported.
ctl stats >"$counters"
playbook staging oauth.yml -e "@$files/staging-admin.yml" -e "@$files/declaration.json" -e "export_path=$files/staging-export.yml"
recap staging any
ctl expect "$counters" 'POST /vedsdk/oauth/setconfiguration=1' "POST /vedsdk/oauth/createapplication=$((2 + extra))" \
    'POST /vedsdk/oauth/createjwtmapping=2' 'POST /vedsdk/oauth/grantrole=2' 'GET /vedauth/revoke/token=2' active_grants=0
[ "$(stat -c %a "$files/staging-export.yml")" = 600 ] || die "the export has mode $(stat -c %a "$files/staging-export.yml"), expected 0600"
echo "=== staging configured and exported"

# 3. The export applied to production, a fresh server, and production exported. The seed's JWT mapping has the server's own
#    URL as its purpose_value, the server-specific field the role's README documents: rewritten for production first.
sed "s#$staging_url/vedauth#$production_url/vedauth#" "$files/staging-export.yml" >"$files/promote.yml"
ctl_at "$production_dir" stats >"$counters"
playbook production oauth.yml -e "@$files/production-admin.yml" -e "@$files/promote.yml" -e "export_path=$files/production-export.yml"
recap production any
ctl_at "$production_dir" expect "$counters" "POST /vedsdk/oauth/createapplication=$((2 + extra))" 'POST /vedsdk/oauth/createjwtmapping=2' \
    'POST /vedsdk/oauth/grantrole=2' active_grants=0
sed "s#$production_url/vedauth#$staging_url/vedauth#" "$files/production-export.yml" >"$files/production-export-as-staging.yml"
diff -u "$files/staging-export.yml" "$files/production-export-as-staging.yml" || die "the exports of staging and production differ"
grep -qF "purpose_value: $production_url/vedauth" "$files/production-export.yml" || die "production's export lacks its own purpose_value"
echo "=== production holds what staging holds: the exports are equal apart from the server's own URL"

# 4. The same again changes nothing, writes nothing, and reads once per kind: the figure.
ctl_at "$production_dir" stats >"$counters"
playbook repeat oauth.yml -e "@$files/production-admin.yml" -e "@$files/promote.yml"
recap repeat 0
ctl_at "$production_dir" expect "$counters" oauth-writes=0 'POST /vedsdk/oauth/getapplications=1' 'POST /vedsdk/oauth/getrules=1' \
    'POST /vedsdk/oauth/getjwtmappings=1' 'POST /vedsdk/oauth/listroles=1' 'POST /vedsdk/oauth/getconfiguration=1' active_grants=0
sent=$("$python" - "$counters" "$(ctl_at "$production_dir" stats)" <<'PYTHON'
import json, sys
before, after = json.load(open(sys.argv[1]))['requests'], json.loads(sys.argv[2])['requests']
sent = dict((key, after[key] - before.get(key, 0)) for key in sorted(after) if after[key] != before.get(key, 0))
print('%d requests (%s)' % (sum(sent.values()), ', '.join('%s %d' % (key, count) for key, count in sent.items())))
PYTHON
)
figure "no-change apply with $((4 + extra)) integrations: $sent"

# 5. Purge with an administrator's token given: the stray items go, the token's integration and admin role stay, with a message.
ctl_at "$production_dir" admin-token "$files/token.yml" oauth_configuration_admin_access_token
admin_token=$(sed -n 's/^oauth_configuration_admin_access_token: //p' "$files/token.yml")
ctl_at "$production_dir" stats >"$counters"
playbook purge purge.yml -e "@$files/production.yml" -e "@$files/token.yml" -e "export_path=$files/production-export.yml" --diff
expect_log purge "Not purged, because the role's own administrator needs it: the API integration tpp-admin, local:admin's admin role."
ctl_at "$production_dir" expect "$counters" 'POST /vedsdk/oauth/deleteapplication=1' 'POST /vedsdk/oauth/deletejwtmapping=1' \
    'POST /vedsdk/oauth/revokerole=1' 'GET /vedauth/revoke/token=0' 'POST /vedauth/authorize/oauth=0'
ctl_at "$production_dir" token-valid "$files/token.yml" yes
ctl_at "$production_dir" revoke "$files/token.yml"
echo "=== purge removed the stray items and kept the administrator's"

# 6. Bad input fails with one line naming the item, before any request.
ctl_at "$production_dir" stats >"$counters"
if ansible_playbook -e "@$TPP_SEED_VARS" oauth.yml -e "@$files/production-admin.yml" \
    -e '{"oauth_configuration_jwt_mappings": [{"name": "ci", "isuer": "https://idp.example.com"}]}' >"$output_dir/bad.log" 2>&1; then
    die "bad: a JWT mapping with an unknown key was accepted"
fi
expect_log bad 'oauth_configuration_jwt_mappings[0] (ci) has unknown keys: isuer; known are name, issuer,'
ctl_at "$production_dir" expect "$counters" 'POST /vedauth/authorize/oauth=0'
echo "=== bad input refused before any request"

# No secret in anything printed or exported: the administrator's password and the token of run 5.
[ "${#admin_token}" -eq 24 ] || die "no administrator token to look for"
no_secret_in "$output_dir"/{check,staging,production,repeat,purge,bad}.log "$files"/*-export.yml \
    -- "admin's password:$tpp_admin_password" "administrator token:$admin_token"
echo "=== no password or administrator token in the output or the exports"
echo "role_oauth_configuration: passed"
