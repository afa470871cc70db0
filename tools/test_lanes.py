"""Run the parts of `make test` in lanes side by side, the parts of each lane one after the other.

    python tools/test_lanes.py --lane "sanity units ..." --lane "integration-rest ..." [--build-root .build]

Most parts are one process doing one thing at a time (an ansible-playbook and the emulator it talks to), so a second lane
uses the CPU the first leaves idle. Each lane after the first stages and builds into its own directory (make's BUILD,
BUILD_ROOT/lane<N>), so no two parts share ansible-test's output or an installed collection. A part's output goes to
BUILD_ROOT/logs/<part>.log and is printed whole when the part ends, so logs never interleave. The first failure prints its
log, stops the other lanes and fails the run.
"""

import argparse
import os
import signal
import subprocess
import sys
import threading
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Lanes:
    def __init__(self, build_root):
        self.build_root = build_root
        self.logs = os.path.join(build_root, 'logs')
        self.print_lock = threading.Lock()
        self.failed = threading.Event()
        self.running = {}
        self.passed = 0

    def run_part(self, number, part):
        command = ['make', '--no-print-directory', part]
        if number:
            command.append('BUILD=%s' % os.path.join(self.build_root, 'lane%d' % number))
        log_path = os.path.join(self.logs, part + '.log')
        started = time.time()
        with self.print_lock:
            print('=== make %s started (lane %d)' % (part, number + 1), flush=True)
        with open(log_path, 'wb') as log:
            # Its own process group, so a failure elsewhere can stop the part and everything it started.
            process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            self.running[number] = process
            code = process.wait()
            self.running.pop(number, None)
        elapsed = time.time() - started
        with self.print_lock:
            if self.failed.is_set():
                return False
            with open(log_path, 'rb') as log:
                sys.stdout.write('=== make %s (lane %d): its output\n' % (part, number + 1))
                sys.stdout.flush()
                sys.stdout.buffer.write(log.read())
            if code:
                print('=== FAILED: make %s (exit %d, %d s; log %s)' % (part, code, elapsed, log_path), flush=True)
                self.failed.set()
                self.stop_others()
                return False
            print('=== make %s passed in %d s' % (part, elapsed), flush=True)
            self.passed += 1
        return True

    def run_lane(self, number, parts):
        for part in parts:
            if self.failed.is_set() or not self.run_part(number, part):
                return

    def stop_others(self):
        for process in list(self.running.values()):
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--lane', action='append', required=True, help='the parts of one lane, separated by spaces')
    parser.add_argument('--build-root', default=os.path.join(REPO_ROOT, '.build'))
    args = parser.parse_args()
    lanes = Lanes(os.path.abspath(args.build_root))
    os.makedirs(lanes.logs, exist_ok=True)
    parts = [lane.split() for lane in args.lane]
    started = time.time()
    threads = [threading.Thread(target=lanes.run_lane, args=(number, lane)) for number, lane in enumerate(parts)]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            thread.join()
    except KeyboardInterrupt:
        lanes.failed.set()
        lanes.stop_others()
        return 130
    total = sum(len(lane) for lane in parts)
    if lanes.failed.is_set():
        print('parts: %d passed, 1 failed, %d not run' % (lanes.passed, total - lanes.passed - 1))
        return 1
    print('=== make test passed in %d s' % (time.time() - started))
    print('parts: %d passed, 0 failed' % lanes.passed)
    return 0


if __name__ == '__main__':
    sys.exit(main())
