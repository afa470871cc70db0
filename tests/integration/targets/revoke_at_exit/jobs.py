"""Run the AWX/AAP guide's job ten times with ansible-runner, without and then with the revoke_at_exit callback, and count the
grants each series leaves active on the emulator.

    python jobs.py COLLECTION_ROOT OUTPUT_DIR CTL_PY

Needs what docs_playbooks.py needs (runme.sh sets it). The guide (docs/docsite/rst/awx_aap.rst) is read as docs_playbooks.py reads
it: each injector (environment variables, extra variables) with the playbook after it, whose task that uses the lookup is the
job (the others obtain and revoke a token with the token module, which the callback leaves alone). Job N uses the pair N mod 2, so both
ways of injecting the credential run. Each job gets a private data directory of its own, where the injector's files go (AWX's
tower.filename), and a cache directory of its own (XDG_CACHE_HOME, the job container's home), and none of this process's
VENAFI_TPP_* variables: the connection and the credential come from the injector alone. "Without" drops
ANSIBLE_CALLBACKS_ENABLED from the injector's environment, "with" keeps it. The emulator is reset before each series, so the
counts are the series' own.
"""

import os
import shutil
import sys
import time

import ansible_runner
import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'docs_playbooks'))
import docs_playbooks  # noqa: E402  pylint: disable=import-error,wrong-import-position

GUIDE = 'docs/docsite/rst/awx_aap.rst'
JOBS = 10
CALLBACK_SETTING = 'ANSIBLE_CALLBACKS_ENABLED'
LOOKUP = 'venafi_tpp.auth.access_token'
REVOKED_LINE = 'venafi_tpp.auth.revoke_at_exit: revoked 1 grant that the access_token lookup obtained during this run'


def guide_jobs(collection_root):
    """[(injector, playbook text)]: each injector of the guide and the playbook that follows it, cut to its tasks that use the
    access_token lookup (the others obtain and revoke a token of their own, which is not the callback's business)."""
    jobs, injector = [], None
    for block in docs_playbooks.blocks_of(collection_root, GUIDE):
        fate, detail = docs_playbooks.classify(block)
        if fate == 'injector':
            injector = detail
        elif fate == 'run' and injector is not None:
            for play in detail:
                play['tasks'] = [task for task in play.get('tasks', []) if LOOKUP in yaml.safe_dump(task)]
            if not any(play['tasks'] for play in detail):
                raise SystemExit('FAIL: the playbook at %s uses no %s' % (block, LOOKUP))
            jobs.append((injector, yaml.safe_dump(detail, sort_keys=False)))
            injector = None
    if len(jobs) != 2 or any(CALLBACK_SETTING not in (job[0].get('env') or {}) for job in jobs):
        raise SystemExit('FAIL: expected two injectors in %s, each followed by a playbook and setting %s' % (GUIDE, CALLBACK_SETTING))
    return jobs


def run_job(number, injector, playbook, with_callback, base, values):
    """(ok, stdout) of one job in a fresh private data directory."""
    private = os.path.join(base, 'job-%02d' % number)
    os.makedirs(os.path.join(private, 'project'))
    with open(os.path.join(private, 'project', 'job.yml'), 'w', encoding='utf-8') as handle:
        handle.write(docs_playbooks.replace(playbook, values))
    env, extra_vars = docs_playbooks.render_injector(injector, private)
    if not with_callback:
        env.pop(CALLBACK_SETTING)
    env['XDG_CACHE_HOME'] = os.path.join(private, 'home-cache')
    inventory = 'localhost ansible_connection=local ansible_python_interpreter=%s' % sys.executable
    runner = ansible_runner.run(private_data_dir=private, playbook='job.yml', inventory=inventory,
                                envvars=env, extravars=extra_vars, quiet=True)
    stdout = runner.stdout.read()
    return runner.status == 'successful' and runner.rc == 0, stdout


def series(tpp_ctl, workdir, jobs, with_callback, base, values):
    """The active grants after JOBS jobs, from a reset emulator; the problems found."""
    tpp_ctl.call(workdir, 'reset', {})
    problems, started = [], time.monotonic()
    for number in range(1, JOBS + 1):
        injector, playbook = jobs[number % len(jobs)]
        ok, stdout = run_job(number, injector, playbook, with_callback, base, values)
        if not ok:
            problems.append('job %d failed:\n%s' % (number, stdout[-3000:]))
        if with_callback and REVOKED_LINE not in stdout:
            problems.append('job %d does not say: %s' % (number, REVOKED_LINE))
        if not with_callback and 'revoke_at_exit' in stdout:
            problems.append('job %d ran the callback, which its injector did not enable' % number)
    active = tpp_ctl.call(workdir, 'stats')['active_grants']
    print('%s the callback: %d jobs in %.0f s, %d active grants after them' % ('with' if with_callback else 'without', JOBS,
                                                                               time.monotonic() - started, active))
    return active, problems


def main(collection_root, output_dir, ctl_py):
    sys.stdout.reconfigure(line_buffering=True)
    sys.path.insert(0, os.path.dirname(ctl_py))
    import tpp_ctl  # pylint: disable=import-outside-toplevel,import-error

    workdir = os.environ['TPP_EMULATOR_WORKDIR']
    jobs = guide_jobs(collection_root)
    # The jobs see no VENAFI_TPP_* variable of this process: only the injector's.
    for name in [name for name in os.environ if name.startswith('VENAFI_TPP_')]:
        del os.environ[name]
    problems = []
    counts = {}
    for with_callback in (False, True):
        base = os.path.join(output_dir, 'jobs-%s' % ('with' if with_callback else 'without'))
        shutil.rmtree(base, ignore_errors=True)
        values = dict(url=docs_playbooks.URL, ca_path=docs_playbooks.CA, root=os.path.join(base, 'root'), group='')
        counts[with_callback], found = series(tpp_ctl, workdir, jobs, with_callback, base, values)
        problems += found
    if counts[False] != JOBS:
        problems.append('without the callback %d jobs left %d active grants, not %d' % (JOBS, counts[False], JOBS))
    if counts[True] != 0:
        problems.append('with the callback %d jobs left %d active grants, not 0' % (JOBS, counts[True]))
    print('FIGURE revoke_at_exit: %d ansible-runner jobs leave %d active grants without the callback, %d with it'
          % (JOBS, counts[False], counts[True]))
    for problem in problems:
        print('FAIL: ' + problem)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:]))
