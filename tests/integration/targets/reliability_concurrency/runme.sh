#!/usr/bin/env bash
# The lookup's cache under concurrency, against the emulator: 20 forks racing one refresh; 3 playbook runs sharing one
# cache directory, 10 times over, through access-token and grant expiries; a process killed while it holds the cache
# lock. Prints FIGURE lines for make test-reliability.
#
# No `set -x`: it would echo the password the playbook passes.
# output_dir, python, ctl_py and the counters (last_*) come from the helper this script sources.
# shellcheck disable=SC2154
set -eu -o pipefail

# Pipelined module runs, as the timings of these checks were measured with; exported before emulator.sh is sourced,
# because the ansible-playbook server it starts takes the ANSIBLE_* variables it finds then.
export ANSIBLE_PIPELINING=true
# shellcheck source=../setup_emulator_shell/emulator.sh
source ../setup_emulator_shell/emulator.sh reliability_concurrency
day=86400
access_validity=7776000
grant_validity=31536000
SECONDS=0

# fleet FILE HOSTS: an inventory of HOSTS hosts on connection local.
fleet() {
    {
        echo '[fleet]'
        for number in $(seq -w 1 "$2"); do echo "fleet-$number ansible_connection=local"; done
    } >"$1"
}

# 1. 20 forks race one refresh: the access token has expired (server clock), and the refresh answers 1 s late, so every
#    fork reaches the lock while the first one refreshes. Exactly one refresh, no authorization, no failure.
export VENAFI_TPP_CACHE_DIR="$output_dir/cache-race"
rm -rf "$VENAFI_TPP_CACHE_DIR"
fleet "$output_dir/fleet20.ini" 20
snapshot
playbook race-first -i "$output_dir/fleet20.ini" -f 20 fleet.yml
charge "20 forks, empty cache" 1 0 any
ctl advance $((access_validity + day))
ctl fault '{"path": "/vedauth/authorize/token", "delay": 1, "count": 1}'
snapshot
playbook race-refresh -i "$output_dir/fleet20.ini" -f 20 fleet.yml
# One verify by the first fork (TPP says the token expired), one by the check.
charge "20 forks racing one refresh" 0 1 2
grep -q 'fleet-[0-9]* *: ok=1 .*failed=0' "$output_dir/race-refresh.log" || die "race-refresh: no recap line"
[ "$(grep -c 'fleet-[0-9]* *: ok=1 .*failed=0' "$output_dir/race-refresh.log")" -eq 20 ] || die "race-refresh: not every host succeeded"
figure "20 concurrent lookups racing one refresh: $last_token refresh, $last_oauth authorization, 0 failures"

# 2. Three playbook runs at once on one cache directory, ten rounds. Between rounds the server clock moves past the
#    access token's expiry (even rounds: one refresh in all, no authorization) or past the grant's (odd rounds: one
#    authorization in all). Every run must succeed.
export VENAFI_TPP_CACHE_DIR="$output_dir/cache-shared"
rm -rf "$VENAFI_TPP_CACHE_DIR"
fleet "$output_dir/fleet3.ini" 3
authorizations=()
for round in $(seq 1 10); do
    if [ "$round" -eq 1 ]; then
        want_oauth=1 want_token=0
    elif [ $((round % 2)) -eq 0 ]; then
        ctl advance $((access_validity + day))
        want_oauth=0 want_token=1
    else
        ctl advance $((grant_validity + day))
        # The first run's lookup finds the token dead and tries its refresh token once; TPP refuses it.
        want_oauth=1 want_token=any
    fi
    snapshot
    pids=()
    for run in a b c; do
        ansible_playbook -i "$output_dir/fleet3.ini" -f 3 fleet.yml -e "@$TPP_SEED_VARS" >"$output_dir/shared-$round-$run.log" 2>&1 &
        pids+=($!)
    done
    for index in 0 1 2; do
        wait "${pids[$index]}" || { tail -n 30 "$output_dir/shared-$round-"*.log >&2; die "round $round: a run failed"; }
    done
    charge "round $round, 3 runs at once" "$want_oauth" "$want_token" any
    [ "$last_token" -le 1 ] || die "round $round: $last_token refreshes"
    authorizations+=("$last_oauth")
done
figure "3 concurrent playbook runs x 10 rounds on one cache: 30 runs succeeded, authorizations per round ${authorizations[*]} (<= 1 per expiry window)"

# 3. A process that holds the cache lock is killed (SIGKILL): the run waiting behind it goes on, the lock is free.
ready="$output_dir/lock-holder.pid"
rm -f "$ready"
"$python" "$ctl_py" "$VENAFI_TPP_CACHE_DIR" hold-lock "$ready" &
holder=$!
for _ in $(seq 100); do
    [ -s "$ready" ] && break
    sleep 0.1
done
[ -s "$ready" ] || die "the lock holder did not take the lock"
! "$python" "$ctl_py" "$VENAFI_TPP_CACHE_DIR" lock-free || die "the lock holder holds no lock"
ansible_playbook -i "$output_dir/fleet3.ini" -f 3 fleet.yml -e "@$TPP_SEED_VARS" >"$output_dir/behind-lock.log" 2>&1 &
waiting=$!
# A run takes about 3 s; this one must still be waiting after 6.
sleep 6
kill -0 "$waiting" 2>/dev/null || { tail -n 30 "$output_dir/behind-lock.log" >&2; die "the run did not wait for the lock"; }
kill -KILL "$holder"
wait "$holder" 2>/dev/null || true
killed=$SECONDS
wait "$waiting" || { tail -n 30 "$output_dir/behind-lock.log" >&2; die "the run behind the killed lock holder failed"; }
"$python" "$ctl_py" "$VENAFI_TPP_CACHE_DIR" lock-free || die "the lock is still held after its holder was killed"
figure "lock holder killed with SIGKILL: the waiting run went on and succeeded $((SECONDS - killed)) s later; the lock is free"

figure "concurrency checks passed in ${SECONDS} s"
