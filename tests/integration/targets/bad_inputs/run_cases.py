"""Run the bad-input catalogue (cases.yml) against the emulator with the real collection, and check every answer.

    python run_cases.py OUTPUT_DIR

Needs VENAFI_TPP_URL, VENAFI_TPP_CA_PATH, TPP_EMULATOR_WORKDIR and TPP_SEED_VARS, as runme.sh (setup_emulator_shell) sets them;
the playbook runs without them, so that a missing url is missing, and with the seed's variables. One playbook holds every
case as a task of its own, with the case's arguments written out (the role's as `vars`), each in a block that records its
result and, after it, the emulator's request counters. Then each result is checked here: failed, one line holding the
case's text, no traceback, and no request sent unless the case is online (which must have sent one). The generated
playbook, its output and the results stay in OUTPUT_DIR.
"""

import collections
import json
import os
import subprocess
import sys
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, 'cases.yml')
ROLE = 'venafi_tpp.auth.integration_bootstrap'
# What a message must not show: a traceback, exception class names, Python reprs, a crashed module.
NOISE = ('Traceback', 'Exception', '<class ', ' object at 0x', 'MODULE FAILURE')
# ansible-core's own check of a role's argument_specs puts this header on a line of its own, before one line per problem.
ARGSPEC_HEADER = 'Validation of arguments failed:\n'
ADMIN_LOGIN = dict((name, '{{ tpp_seed.admin.%s }}' % name) for name in ('client_id', 'scope', 'username', 'password'))


def load(path=CASES):
    with open(path, encoding='utf-8') as handle:
        return yaml.safe_load(handle)


def case_args(catalogue, case):
    """The baseline of the case's plugin with the case's arguments over it; a null removes an option."""
    args = dict(catalogue['baselines'][case['plugin']], **case['args'])
    return dict((name, value) for name, value in args.items() if value is not None)


def case_task(catalogue, case):
    plugin, args = case['plugin'], case_args(catalogue, case)
    if plugin == 'lookup':
        return {'ansible.builtin.set_fact': {'bad_inputs_token': "{{ lookup('venafi_tpp.auth.access_token', *bad_inputs_terms, **bad_inputs_kwargs) }}"},
                'vars': {'bad_inputs_terms': case.get('terms', []), 'bad_inputs_kwargs': args}}
    if plugin == 'role':
        return {'ansible.builtin.include_role': {'name': ROLE}, 'vars': args}
    return {'venafi_tpp.auth.' + plugin: args}


def record(key, result, stats):
    """One set_fact task that adds ``key: result`` to the fact bad_inputs_results and ``key: stats`` to bad_inputs_stats
    (Jinja expressions): one task, not two, since a task per case is a good part of the target's run time."""
    return {'ansible.builtin.set_fact': dict((name, '{{ %s | combine({%r: %s}) }}' % (name, key, value))
                                             for name, value in (('bad_inputs_results', result), ('bad_inputs_stats', stats)))}


def playbook(catalogue, output_dir):
    stats = "lookup('ansible.builtin.url', tpp_url ~ '/_emulator/stats', ca_path=tpp_ca_path, split_lines=false) | from_json"
    tasks = [
        {'name': "Obtain an administrator's token for the cases that need one",
         'venafi_tpp.auth.token': dict(url='{{ tpp_url }}', ca_path='{{ tpp_ca_path }}', **ADMIN_LOGIN), 'register': 'bad_inputs_admin'},
        {'name': 'Start the records', 'ansible.builtin.set_fact': {
            'bad_inputs_results': {}, 'bad_inputs_stats': {'start': '{{ %s }}' % stats}, 'admin_token': '{{ bad_inputs_admin.access_token }}'}},
    ]
    for case in catalogue['cases']:
        tasks.append({
            'name': 'Case %s' % case['id'],
            'block': [dict({'name': '%s: %s' % (case['plugin'], case['input'])}, **case_task(catalogue, case)),
                      record(case['id'], "{'failed': false}", stats)],
            'rescue': [record(case['id'], 'ansible_failed_result', stats)],
        })
    tasks.append({'name': 'Save the results', 'ansible.builtin.copy': {
        'content': '{{ {"results": bad_inputs_results, "stats": bad_inputs_stats} | to_json }}', 'dest': os.path.join(output_dir, 'results.json'),
        'mode': '0600'}})
    return [{'name': 'The bad-input catalogue', 'hosts': 'localhost', 'gather_facts': False, 'tasks': tasks}]


def sent_requests(before, after):
    """The requests the emulator counted between two snapshots, without its own control API."""
    before, after = before['requests'], after['requests']
    return dict((name, count - before.get(name, 0)) for name, count in after.items()
                if '/_emulator/' not in name and count != before.get(name, 0))


def problems(case, result, before, after, output, render):
    """What is wrong with the answer to one case (an empty list when it is right)."""
    found = []
    if case.get('warning'):
        if result.get('failed'):
            found.append('failed instead of warning: %s' % result.get('msg'))
        elif render(case['warning']) not in output:
            found.append('the output has no warning %r' % render(case['warning']))
    else:
        message = result.get('msg')
        if not result.get('failed'):
            found.append('did not fail')
        elif not isinstance(message, str):
            found.append('no message')
        else:
            if case['plugin'] == 'role' and message.startswith(ARGSPEC_HEADER):
                message = message[len(ARGSPEC_HEADER):]
            if len(message.splitlines()) != 1:
                found.append('the message is not one line')
            if render(case['error']) not in message:
                found.append('the message lacks %r' % render(case['error']))
            found.extend('the message shows %r' % noise for noise in NOISE if noise in message)
        if result.get('exception', '(traceback unavailable)') != '(traceback unavailable)':
            found.append('the result carries a traceback')
        found.extend('the result has %s' % key for key in ('module_stderr', 'module_stdout') if key in result)
    # Every case that claims to need no request is counted, whatever its plugin. A warning case goes on, to TPP too. An online
    # case must have reached TPP: that shows the counting sees the requests of its plugin.
    sent = sent_requests(before, after)
    if case.get('online') and not sent:
        found.append('sent no request although only TPP can refuse it')
    elif not case.get('online') and not case.get('warning') and sent:
        found.append('sent requests although it can be refused offline: %s' % sent)
    return found


def main(output_dir):
    catalogue = load()
    fixtures = os.path.join(output_dir, 'fixtures')
    os.makedirs(fixtures, exist_ok=True)
    for name, content in catalogue['fixtures'].items():
        with open(os.path.join(fixtures, name), 'wb') as handle:
            handle.write(content if isinstance(content, bytes) else content.encode('utf-8'))
    variables = {'tpp_url': os.environ['VENAFI_TPP_URL'], 'tpp_ca_path': os.environ['VENAFI_TPP_CA_PATH'],
                 'emulator_workdir': os.environ['TPP_EMULATOR_WORKDIR'], 'fixtures': fixtures, 'output_dir': output_dir,
                 'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable}
    play, extra_vars = os.path.join(output_dir, 'bad_inputs.yml'), os.path.join(output_dir, 'bad_inputs_vars.json')
    with open(play, 'w', encoding='utf-8') as handle:
        yaml.safe_dump(playbook(catalogue, output_dir), handle, sort_keys=False, width=200)
    with open(extra_vars, 'w', encoding='utf-8') as handle:
        json.dump(variables, handle)

    env = dict((name, value) for name, value in os.environ.items() if not name.startswith('VENAFI_TPP_'))
    env.update(ANSIBLE_NOCOLOR='true', ANSIBLE_FORCE_COLOR='false', ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false')
    started = time.monotonic()
    run = subprocess.run(['ansible-playbook', '-i', 'localhost,', play, '-e', '@' + extra_vars, '-e', '@' + os.environ['TPP_SEED_VARS']],
                         env=env, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    output = run.stdout + run.stderr
    with open(os.path.join(output_dir, 'bad_inputs.log'), 'w', encoding='utf-8') as handle:
        handle.write(output)
    if run.returncode != 0:
        print(output[-6000:])
        sys.exit('FAIL: the catalogue playbook itself failed (exit status %d)' % run.returncode)
    with open(os.path.join(output_dir, 'results.json'), encoding='utf-8') as handle:
        saved = json.load(handle)

    def render(text):
        for name in ('output_dir', 'fixtures', 'emulator_workdir'):
            text = text.replace('{{ %s }}' % name, variables[name])
        return text

    failures, tried, passed, outcomes = [], collections.Counter(), collections.Counter(), collections.Counter()
    previous = saved['stats']['start']
    for case in catalogue['cases']:
        after = saved['stats'][case['id']]
        result = saved['results'][case['id']]
        found = problems(case, result, previous, after, output, render)
        previous = after
        tried[case['plugin']] += 1
        if found:
            failures.append('%s (%s): %s; message: %s' % (case['id'], case['plugin'], '; '.join(found), result.get('msg')))
        else:
            passed[case['plugin']] += 1
            outcomes['warned' if case.get('warning') else 'refused online' if case.get('online') else 'refused offline'] += 1
    if 'Traceback' in output:
        failures.append('the playbook output shows a traceback')
    for failure in failures:
        print('FAIL: %s' % failure)
    print('bad inputs: %d tried, %d refused with one clear line (%d before any request, %d by TPP), %d warned and went on, %d wrong; '
          'by plugin (as expected/tried): %s; %.0f s'
          % (sum(tried.values()), outcomes['refused offline'] + outcomes['refused online'], outcomes['refused offline'],
             outcomes['refused online'], outcomes['warned'], len(failures),
             ', '.join('%s %d/%d' % (plugin, passed[plugin], tried[plugin]) for plugin in sorted(tried)), seconds))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(os.path.abspath(sys.argv[1])))
