"""Run ansible-test sanity and units on every supported ansible-core minor version.

    python tools/test_matrix.py [--build DIR] VERSION [VERSION...]

For each VERSION (e.g. 2.16): a virtual environment DIR/<VERSION>/venv with the newest ansible-core of
that minor and the collection's runtime requirements, ansible-test's offline pip bootstrap for that
ansible-test, the collection staged at DIR/<VERSION>/ansible_collections/venafi_tpp/auth, then
``ansible-test sanity`` and ``ansible-test units --requirements`` (ansible-test installs its own pinned
unit-test packages for that version). Logs go to DIR/<VERSION>/<step>.log. Every version runs even
when one fails; a table of results and times ends the output, and the exit status is 1 if any failed.
"""

import argparse
import os
import subprocess
import sys
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON_VERSION = '%d.%d' % sys.version_info[:2]
TAIL_LINES = 40


def run_logged(command, log_path, **kwargs):
    """Run command with its output in log_path; return (passed, seconds)."""
    start = time.monotonic()
    with open(log_path, 'w', encoding='utf-8') as log:
        log.write('$ %s\n' % ' '.join(command))
        log.flush()
        returncode = subprocess.call(command, stdout=log, stderr=subprocess.STDOUT, **kwargs)
    seconds = time.monotonic() - start
    if returncode:
        with open(log_path, encoding='utf-8', errors='replace') as log:
            sys.stdout.write(''.join(log.readlines()[-TAIL_LINES:]))
    return returncode == 0, seconds


def prepare(version, root):
    """Make the venv and the staged copy for one version; return (python, staged path) or raise."""
    venv = os.path.join(root, 'venv')
    python = os.path.join(venv, 'bin', 'python')
    if not os.path.exists(python):
        subprocess.run([sys.executable, '-m', 'venv', venv], check=True)
    log = os.path.join(root, 'setup.log')
    passed = run_logged(
        [python, '-m', 'pip', 'install', '--quiet', '--upgrade', 'pip', 'ansible-core==%s.*' % version,
         '-r', os.path.join(REPO_ROOT, 'requirements.txt')], log)[0]
    if not passed:
        raise RuntimeError('installing ansible-core %s failed, see %s' % (version, log))
    subprocess.run([python, os.path.join(REPO_ROOT, 'tools', 'offline_pip_bootstrap.py')], check=True, stdout=subprocess.DEVNULL)
    staged = subprocess.run([python, os.path.join(REPO_ROOT, 'tools', 'stage_collection.py'), root],
                            check=True, capture_output=True, text=True).stdout.strip()
    return python, staged


def test_version(version, root):
    """Results of one version: {step: (passed, seconds)}."""
    os.makedirs(root, exist_ok=True)
    start = time.monotonic()
    try:
        python, staged = prepare(version, root)
    except (RuntimeError, subprocess.CalledProcessError) as error:
        print('ansible-core %s: %s' % (version, error))
        return {'setup': (False, time.monotonic() - start)}
    results = {'setup': (True, time.monotonic() - start)}
    bin_dir = os.path.dirname(python)
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ['PATH'], ANSIBLE_TEST_CONTENT_ROOT=staged)
    env.pop('VIRTUAL_ENV', None)
    ansible_test = [os.path.join(bin_dir, 'ansible-test')]
    flags = ['--python', PYTHON_VERSION, '--color', 'no']
    for step, command in (('sanity', ansible_test + ['sanity'] + flags),
                          ('units', ansible_test + ['units'] + flags + ['--local', '--requirements'])):
        print('=== ansible-core %s: %s' % (version, step), flush=True)
        results[step] = run_logged(command, os.path.join(root, step + '.log'), cwd=staged, env=env)
    core = subprocess.run([python, '-c', 'import ansible; print(ansible.__version__)'], capture_output=True, text=True, check=False)
    results['version'] = core.stdout.strip()
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--build', default=os.path.join(REPO_ROOT, '.build', 'matrix'), help='working directory')
    parser.add_argument('versions', nargs='+', metavar='VERSION', help='ansible-core minor versions, e.g. 2.16')
    args = parser.parse_args()
    table = {version: test_version(version, os.path.join(os.path.abspath(args.build), version)) for version in args.versions}

    print('\n| ansible-core | installed | setup | sanity | units |')
    print('|---|---|---|---|---|')
    failed = False
    for version, results in table.items():
        cells = []
        for step in ('setup', 'sanity', 'units'):
            if step not in results:
                cells.append('not run')
                continue
            passed, seconds = results[step]
            failed = failed or not passed
            cells.append('%s (%d s)' % ('pass' if passed else 'FAIL', seconds))
        print('| %s | %s | %s |' % (version, results.get('version', '?'), ' | '.join(cells)))
    print('Python %s; logs in %s/<version>/' % (PYTHON_VERSION, os.path.abspath(args.build)))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
