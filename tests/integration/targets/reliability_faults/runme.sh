#!/usr/bin/env bash
# Faults survived, against the emulator: every endpoint the collection calls through its module (matrix.yml: 503s,
# timeouts, dropped connections, a 500 on a refresh), then the lookup through a refresh TPP does not answer, the
# emulator restarted between two tasks, and a server clock ten years ahead. Prints FIGURE lines for make test-reliability.
#
# No `set -x`: it would echo the passwords the playbooks pass.
# output_dir, python, ctl_py and the counters (last_*) come from the helper this script sources.
# shellcheck disable=SC2154
set -eu -o pipefail

# Pipelined module runs, as the timings of these checks were measured with; exported before emulator.sh is sourced,
# because the ansible-playbook server it starts takes the ANSIBLE_* variables it finds then.
export ANSIBLE_PIPELINING=true
# shellcheck source=../setup_emulator_shell/emulator.sh
source ../setup_emulator_shell/emulator.sh reliability_faults
export VENAFI_TPP_CACHE_DIR="$output_dir/token-cache"
rm -rf "$VENAFI_TPP_CACHE_DIR"
day=86400
access_validity=7776000
grant_validity=31536000
ahead=$((3650 * day))
injected=0
SECONDS=0

# 1. Every endpoint, every fault kind, through the modules.
playbook matrix -i endpoints.ini -f 6 matrix.yml -e "tpp_ctl=$ctl_py" -e "faults_figures=$output_dir/faults.json"
while IFS=$'\t' read -r count line; do
    injected=$((injected + count))
    figure "$line"
done < <("$python" -c 'import json, sys
for case in json.load(open(sys.argv[1])):
    print("%(injected)d\t%(endpoint)s, %(kind)s: %(injected)d fault(s) injected, %(requests)d request(s) sent, %(outcome)s" % case)' \
    "$output_dir/faults.json")

# 2. The lookup: a refresh that TPP answers with a 500, or drops, is not sent again; the lookup authorizes instead,
#    and the cache is left consistent: the refresh token it saved works at the next expiry.
snapshot
playbook lookup-first lookup.yml
charge lookup-first 1 0 1
for fault in '"status": 500' '"drop": true'; do
    ctl advance $((access_validity + day))
    ctl fault "{\"path\": \"/vedauth/authorize/token\", $fault, \"count\": 1}"
    snapshot
    playbook lookup-refresh-fault lookup.yml
    # One verify by the lookup (TPP no longer accepts the expired token), one by the check.
    charge "lookup, refresh answered with {$fault}" 1 1 2
    expect_log lookup-refresh-fault 'authorizing again'
    injected=$((injected + 1))
    figure "lookup, POST /vedauth/authorize/token, {$fault}: 1 fault injected, 1 request sent, a new authorization"
done
ctl advance $((access_validity + day))
snapshot
playbook lookup-refresh-after lookup.yml
charge "lookup, the next refresh with the saved refresh token" 0 1 2

# 3. The emulator restarts between two tasks; the next run's lookup finds its cached token unknown and authorizes again.
playbook restart restart.yml -e "tpp_ctl=$ctl_py"
snapshot
playbook lookup-after-restart lookup.yml
# verify (unknown token), a refresh TPP refuses (unknown grant), one authorization, the check's verify.
charge "lookup after the restart" 1 1 2
injected=$((injected + 1))
figure "emulator restarted between two tasks: the next task and the next run authorized again"

# 4. The server clock ten years ahead: the token module reports TPP's expiry, and the lookup decides by it. Tokens of
#    reliability-short live 60 s, so the lookup keeps one until half its lifetime is left (as min_validity is an hour):
#    reused at once, refreshed 31 s after issue, without asking TPP. By the local clock it would have ten years to go.
#    (60 s, not less: on a loaded machine a run takes over 10 s, and the reuse run must end within 30 s of the issue.)
ctl advance "$ahead"
playbook clock clock.yml -e "tpp_ctl=$ctl_py" -e faults_ahead="$ahead" -e faults_access_validity="$access_validity" \
    -e faults_grant_validity="$grant_validity"
snapshot
playbook lookup-clock-first lookup.yml -e faults_client_id=reliability-short
issued=$(date +%s)
charge "lookup, clock ahead, first run" 1 0 1
snapshot
playbook lookup-clock-reuse lookup.yml -e faults_client_id=reliability-short
charge "lookup, clock ahead, the next run reuses" 0 0 2
wait_for=$((issued + 31 - $(date +%s)))
if [ "$wait_for" -gt 0 ]; then sleep "$wait_for"; fi
snapshot
playbook lookup-clock-refresh lookup.yml -e faults_client_id=reliability-short
charge "lookup, clock ahead, 31 s after issue: refreshed without asking TPP" 0 1 1
injected=$((injected + 1))
figure "server clock 10 years ahead: expires follows the server; the lookup reused a 60 s token, then refreshed it once under half its lifetime was left"

figure "faults injected $injected, survived $injected (each checked exactly), in ${SECONDS} s"
