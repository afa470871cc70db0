"""Run every playbook of the documentation against the emulator, read from the documents themselves, once with --check --diff
and once normally, and check what each run left on TPP.

    python docs_playbooks.py COLLECTION_ROOT OUTPUT_DIR CTL_PY

Needs VENAFI_TPP_URL, VENAFI_TPP_CA_PATH, TPP_EMULATOR_WORKDIR and TPP_SEED_VARS, as runme.sh (setup_emulator_shell) sets them. Writes
into DOCS, OUTPUT_DIR/docs: each document's playbooks, inventories and files, the paths they write (DOCS/root), the lookup's
cache and every run's log.

Documents, in this order, all against one emulator (so the README's integration exists for the guides that use it):
README.md, the roles' READMEs, docs/docsite/rst/*.rst (sorted), docs/examples/*.yml (sorted).

Blocks: Markdown's fenced blocks, reStructuredText's `.. code-block::` directives; each file of docs/examples is one YAML
block. The output names a block by its document and the line of its opening fence or directive, and lists every block
with its fate. There is no marker to skip a playbook: these rules decide, and every playbook of the documents runs.
- run: a yaml or yaml+jinja block that is a list of plays (mappings with `hosts`). A docs/examples playbook runs with
  the inventory.ini next to it, as its header shows; any other with a generated inventory that gives each group a play
  names (`hosts: app_servers`) one local host, turns `become` off (the paths it writes are the test's own, see below) and
  puts the role's default client JSON path, /etc/venafi/<client_id>.json, under DOCS/root/hosts/<host>.
- file: a block whose first line is a comment naming a relative path (`# templates/agent.conf.j2`, `{# ... #}`) is
  written there, in the document's directory, where its playbooks find it.
- injector: a YAML mapping with `env` or `extra_vars` is an AWX credential type's injector configuration. It is rendered
  with CREDENTIAL and applies to the next playbook of its document alone: its `env` replaces the emulator's VENAFI_TPP_*
  variables, its `extra_vars` become extra vars, its `file` templates are written where `tower.filename` points.
- skipped, with the reason: any other language (console, bash, ini, json, jinja without a file name), and YAML that is a
  task list (a fragment of a play) or another mapping (a configuration).
A yaml block that does not parse fails the test.

The text of every run or file block, and of an example's inventory.ini, is changed by literal replacement, in one pass, of
the keys of REPLACEMENTS; the values in braces are filled in here. Every run also gets EXTRA_VARS (the emulator seed's
passwords, from TPP_SEED_VARS, under the names the documents give them) and VENAFI_TPP_CACHE_DIR under DOCS (the lookup's
file cache).
GIVENS are the files and directories the documents say exist before their plays run, made under DOCS/root. MINTED are the
JWTs the documents' CI jobs and pods hold, from the emulator's test identity provider: in an environment variable of every
run, or in a file under DOCS/root. ADMIN_JWT is the
administrator's JWT, of the issuer the seeded JWT mapping trusts, in a file under DOCS/root.

Each playbook runs with --check --diff first (check mode on a server and hosts that have not seen the playbook yet), then
normally. Each run must exit 0, with no host failed or unreachable and at least one task ok, must send requests to the
emulator, and must leave as many active grants as before plus the tokens the access_token lookup cached (by design
those outlive a run; a cached token is one grant). A check run must also write nothing to TPP's OAuth API and change no
file under DOCS/root.

Each run is the ansible-playbook command with its arguments, directory and environment, in a process forked from this one
(ansible_playbook below): most of the CPU an ansible-playbook start spends goes on importing Ansible, and this process does
that once for all the runs.
"""

import atexit
import grp
import hashlib
import json
import os
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request

import jinja2
import yaml

URL, CA = os.environ['VENAFI_TPP_URL'], os.environ['VENAFI_TPP_CA_PATH']
with open(os.environ['TPP_SEED_VARS'], encoding='utf-8') as _handle:
    SEED = json.load(_handle)
DOCUMENTS = ('README.md', 'roles/integration_bootstrap/README.md', 'roles/oauth_configuration/README.md', 'docs/docsite/rst/*.rst', 'docs/examples/*.yml')
REPLACEMENTS = {
    'https://tpp.example.com': '{url}',
    # The staging server of the promotion guide and of the oauth_configuration role's README: the same emulator.
    'https://tpp-staging.example.com': '{url}',
    '/etc/pki/tpp-ca.pem': '{ca_path}',
    '/etc/': '{root}/etc/',
    '/tmp/': '{root}/tmp/',
    # The issuers of the secretless sign-in guide: the emulator's test identity provider stands for each (see MINTED).
    'https://token.actions.githubusercontent.com': '{url}/_idp',
    'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE': '{url}/_idp',
    '/var/run/secrets/': '{root}/var/run/secrets/',
    # Groups that do not exist here: the test user's own group instead.
    'client_json_group: certbot': 'client_json_group: {group}',
    'client_json_group: svc-agent': 'client_json_group: {group}',
}
EXTRA_VARS = {
    'vault_tpp_password': SEED['tpp_svc_ansible_password'],
    'vault_svc_ansible_password': SEED['tpp_svc_ansible_password'],
    'vault_tpp_admin_password': SEED['tpp_admin_password'],
    'vault_windows_password': SEED['tpp_svc_win_password'],
    'tpp_admin_password': SEED['tpp_admin_password'],
    'tpp_service_password': SEED['tpp_svc_ansible_password'],
}
# The README's agents have a configuration directory, and the administrator handed them the integration's client JSON; /tmp exists.
GIVENS = {
    'etc/agent/': None,
    'tmp/': None,
    'etc/venafi/ansible-automation.json': {'client_id': 'ansible-automation', 'scope': 'certificate:discover,manage', 'url': URL},
}
# The JWTs the secretless sign-in guide's jobs hold, minted by the emulator's test identity provider for the subjects its JWT
# mappings admit: the GitHub Actions job's in the environment variable TPP_JWT, the pod's projected token in its file (under
# DOCS/root, as GIVENS). Valid for two hours, longer than the whole run.
MINTED = {
    'TPP_JWT': 'repo:example/infrastructure:environment:svc-ansible',
    'var/run/secrets/tokens/tpp-token': 'system:serviceaccount:ci:svc-ansible',
}
# The JWT the administrator's identity provider issued (hardening_token_authentication.rst), minted here with the key the seeded JWT
# mapping trusts, which maps its sub to local:admin; valid for longer than the whole run.
ADMIN_JWT = ('etc/venafi/tpp-admin.jwt', 'admin', 7200)
# What an AWX credential of the credential type in docs/docsite/rst/awx_aap.rst holds, for its injectors.
CREDENTIAL = {'url': URL, 'client_id': 'vcert-sdk', 'scope': 'certificate:manage', 'username': 'svc-ansible',
              'password': SEED['tpp_svc_ansible_password']}
YAML_LANGUAGES = ('yaml', 'yaml+jinja')
FILE_COMMENT = re.compile(r'^(?:#|\{#)\s*([\w.-]+(?:/[\w.-]+)*\.\w+)\s*(?:#\})?$')
RECAP = re.compile(r'^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)', re.M)


class Block:
    def __init__(self, document, line, language, text):
        self.document, self.line, self.language, self.text = document, line, language, text

    def __str__(self):
        return '%s:%d (%s)' % (self.document, self.line, self.language or 'no language')


def markdown_blocks(document, text):
    blocks, lines, index = [], text.splitlines(), 0
    while index < len(lines):
        opening = re.match(r'^(\s*)```(\S*)\s*$', lines[index])
        index += 1
        if not opening:
            continue
        start, body = index, []
        while index < len(lines) and lines[index].strip() != '```':
            body.append(lines[index][len(opening.group(1)):])
            index += 1
        index += 1
        blocks.append(Block(document, start, opening.group(2), '\n'.join(body) + '\n'))
    return blocks


def rst_blocks(document, text):
    blocks, lines = [], text.splitlines()
    for number, line in enumerate(lines):
        directive = re.match(r'^(\s*)\.\. code-block::\s*(\S+)\s*$', line)
        if not directive:
            continue
        indent, body = len(directive.group(1)), []
        for following in lines[number + 1:]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            body.append(following)
        # The directive's options (":caption: ...") come before its content.
        while body and body[0].strip().startswith(':'):
            body.pop(0)
        while body and not body[0].strip():
            body.pop(0)
        while body and not body[-1].strip():
            body.pop()
        margin = min((len(entry) - len(entry.lstrip()) for entry in body if entry.strip()), default=0)
        blocks.append(Block(document, number + 1, directive.group(2), '\n'.join(entry[margin:] for entry in body) + '\n'))
    return blocks


def documents(root):
    for pattern in DOCUMENTS:
        directory, name = os.path.split(pattern)
        if '*' not in name:
            yield pattern
            continue
        suffix = name.split('*', 1)[1]
        for entry in sorted(os.listdir(os.path.join(root, directory))):
            if entry.endswith(suffix):
                yield os.path.join(directory, entry)


def blocks_of(root, document):
    with open(os.path.join(root, document), encoding='utf-8') as handle:
        text = handle.read()
    if document.endswith('.md'):
        return markdown_blocks(document, text)
    if document.endswith('.rst'):
        return rst_blocks(document, text)
    return [Block(document, 1, 'yaml', text)]


def replace(text, values):
    """The literal replacements of REPLACEMENTS, in one pass, so that a replacement is never replaced again."""
    pattern = re.compile('|'.join(re.escape(key) for key in sorted(REPLACEMENTS, key=len, reverse=True)))
    return pattern.sub(lambda match: REPLACEMENTS[match.group(0)].format(**values), text)


def classify(block):
    """(fate, detail): ('run', plays), ('file', path), ('injector', mapping) or ('skipped', reason)."""
    first_line = block.text.split('\n', 1)[0].strip()
    named = FILE_COMMENT.match(first_line)
    if block.language not in YAML_LANGUAGES:
        if named:
            return 'file', named.group(1)
        return 'skipped', 'a %s block' % (block.language or 'plain')
    try:
        data = yaml.safe_load(block.text)
    except yaml.YAMLError as error:
        raise SystemExit('FAIL: %s does not parse as YAML: %s' % (block, error))
    if isinstance(data, list) and data and all(isinstance(play, dict) and 'hosts' in play for play in data):
        return 'run', data
    if named:
        return 'file', named.group(1)
    if isinstance(data, dict) and ('env' in data or 'extra_vars' in data):
        return 'injector', data
    if isinstance(data, list):
        return 'skipped', 'a task list, not a playbook'
    return 'skipped', 'YAML that is not a playbook (%s)' % type(data).__name__


def render_injector(injector, directory):
    """(environment, extra vars) of an AWX injector configuration, rendered with CREDENTIAL; writes its files."""
    with open(CA, encoding='utf-8') as handle:
        credential = dict(CREDENTIAL, ca_bundle=handle.read())
    filenames = {}
    for name, template in (injector.get('file') or {}).items():
        field = name.split('.', 1)[1]
        filenames[field] = os.path.join(directory, 'awx-%s' % field)
        with open(filenames[field], 'w', encoding='utf-8') as handle:
            handle.write(jinja2.Template(template).render(**credential))
    context = dict(credential, tower={'filename': filenames})
    rendered = dict((key, dict((name, jinja2.Template(value).render(**context)) for name, value in (injector.get(key) or {}).items()))
                    for key in ('env', 'extra_vars'))
    return rendered['env'], rendered['extra_vars']


def inventory(plays, root, path):
    groups = sorted(set(group for play in plays for group in re.split(r'[,:]', str(play['hosts'])) if group.strip() not in ('', 'localhost')))
    lines = []
    for group in groups:
        lines += ['[%s]' % group, '%s-1' % group, '']
    lines += ['[all:vars]', 'ansible_connection=local', 'ansible_python_interpreter="{{ ansible_playbook_python }}"', 'ansible_become=false',
              'integration_bootstrap_client_json_path=%s/hosts/{{ inventory_hostname }}/etc/venafi/{{ integration_bootstrap_client_id }}.json'
              % root]
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write('\n'.join(lines) + '\n')
    return path


def extract(collection_root, output_dir, values):
    """The runs, in order: dicts with name, directory, playbook, inventory, env (None: the emulator's) and extra vars."""
    runs = []
    for document in documents(collection_root):
        directory = os.path.join(output_dir, 'docs', document.replace('/', '_'))
        os.makedirs(directory)
        injector = None
        for block in blocks_of(collection_root, document):
            fate, detail = classify(block)
            if fate == 'skipped':
                print('skipped %s: %s' % (block, detail))
            elif fate == 'injector':
                injector = render_injector(detail, directory)
                print('injector %s: for the next playbook of %s' % (block, document))
            elif fate == 'file':
                target = os.path.join(directory, detail)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, 'w', encoding='utf-8') as handle:
                    handle.write(replace(block.text, values))
                print('file %s: written to %s' % (block, detail))
            else:
                name = os.path.basename(document) if document.startswith('docs/examples/') else 'playbook-%d.yml' % block.line
                playbook = os.path.join(directory, name)
                with open(playbook, 'w', encoding='utf-8') as handle:
                    handle.write(replace(block.text, values))
                example_inventory = os.path.join(collection_root, os.path.dirname(document), 'inventory.ini')
                if document.startswith('docs/examples/') and os.path.exists(example_inventory):
                    with open(example_inventory, encoding='utf-8') as handle:
                        inventory_text = replace(handle.read(), values)
                    inventory_path = os.path.join(directory, 'inventory.ini')
                    with open(inventory_path, 'w', encoding='utf-8') as handle:
                        handle.write(inventory_text)
                else:
                    inventory_path = inventory(detail, values['root'], os.path.join(directory, 'inventory-%d.ini' % block.line))
                env, extra_vars = injector or (None, {})
                injector = None
                runs.append(dict(name='%s "%s"' % (block, detail[0].get('name', '')), directory=directory, playbook=playbook,
                                 inventory=inventory_path, env=env, extra_vars=extra_vars))
                print('run %s: %s' % (block, os.path.relpath(playbook, output_dir)))
    return runs


def mint(subject):
    request = urllib.request.Request(URL + '/_idp/mint', data=json.dumps({'sub': subject, 'expires_in': 7200}).encode('utf-8'),
                                     headers={'Content-Type': 'application/json'}, method='POST')
    with urllib.request.urlopen(request, context=ssl.create_default_context(cafile=CA), timeout=30) as answer:
        return json.load(answer)['jwt']


def make_givens(root):
    for path, content in GIVENS.items():
        target = os.path.join(root, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if content is not None:
            with open(target, 'w', encoding='utf-8') as handle:
                json.dump(content, handle)
    for name, subject in MINTED.items():
        if '/' not in name:
            os.environ[name] = mint(subject)
            continue
        target = os.path.join(root, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, 'w', encoding='utf-8') as handle:
            handle.write(mint(subject))


def mint_admin_jwt(collection_root, root):
    path, subject, ttl = ADMIN_JWT
    minted = subprocess.run([sys.executable, os.path.join(collection_root, 'tests', 'emulator', 'mint_jwt.py'), '--workdir',
                             os.environ['TPP_EMULATOR_WORKDIR'], '--sub', subject, '--ttl', str(ttl)],
                            stdout=subprocess.PIPE, check=True, text=True).stdout.strip()
    os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
    with open(os.path.join(root, path), 'w', encoding='utf-8') as handle:
        handle.write(minted + '\n')


def tree_digest(root):
    """A digest of every file's path and content under root: what a check run must not change."""
    digest = hashlib.sha256()
    for directory, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for filename in sorted(filenames):
            path = os.path.join(directory, filename)
            digest.update(os.path.relpath(path, root).encode('utf-8'))
            with open(path, 'rb') as handle:
                digest.update(hashlib.sha256(handle.read()).digest())
    return digest.hexdigest()


def cached_tokens(cache_dir):
    return len([name for name in os.listdir(cache_dir) if name.endswith('.json')]) if os.path.isdir(cache_dir) else 0


def ansible_playbook(arguments, directory, env, log):
    """The exit status of `ansible-playbook ARGUMENTS` run in directory with env, its output (stdout and stderr) in log.

    The run is a child forked from this process, which imported ansible-playbook's code once (main() below); from there the
    child does what the command does: ansible.cli.playbook.main() with its arguments, in its directory and environment, with
    its output, its own local temporary directory and its own exit handlers. Ansible reads its configuration (the ANSIBLE_*
    variables, the file ANSIBLE_CONFIG names) when it is imported, so a run whose ANSIBLE_* variables differ from this
    process's, or without ANSIBLE_CONFIG (then the directory's ansible.cfg counts), gets an ansible-playbook process of its own.
    """
    from ansible import constants  # pylint: disable=import-outside-toplevel
    from ansible.cli.playbook import main  # pylint: disable=import-outside-toplevel
    from ansible.utils.path import cleanup_tmp_file  # pylint: disable=import-outside-toplevel

    settings = [dict((name, value) for name, value in variables.items() if name.startswith('ANSIBLE_')) for variables in (env, os.environ)]
    if settings[0] != settings[1] or 'ANSIBLE_CONFIG' not in env:
        with open(log, 'w', encoding='utf-8') as handle:
            return subprocess.run(['ansible-playbook'] + arguments, cwd=directory, env=env, stdout=handle, stderr=subprocess.STDOUT,
                                  check=False).returncode
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    status = 1
    try:
        os.chdir(directory)
        os.environ.clear()
        os.environ.update(env)
        output = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(output, 1)
        os.dup2(output, 2)
        os.close(output)
        # This process's local temporary directory is not the run's: the run makes its own beside it, removed when it exits.
        atexit.unregister(cleanup_tmp_file)
        local_tmp = tempfile.mkdtemp(prefix='ansible-local-%d' % os.getpid(), dir=os.path.dirname(constants.DEFAULT_LOCAL_TMP))
        constants.DEFAULT_LOCAL_TMP = local_tmp
        atexit.register(cleanup_tmp_file, local_tmp, warn=True)
        sys.argv = ['ansible-playbook'] + arguments
        main()
        status = 0
    except SystemExit as exit_:
        status = exit_.code if isinstance(exit_.code, int) else int(exit_.code is not None)
    except BaseException:  # pylint: disable=broad-exception-caught
        traceback.print_exc()
    finally:
        try:
            # What the interpreter does at exit (the run's exit handlers, then flushing), before leaving at once: the child must
            # not go on into this process's code.
            atexit._run_exitfuncs()  # pylint: disable=protected-access
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(status)


def run(tpp_ctl, workdir, entry, check, extra_vars_file, cache_dir, root, log_dir):
    """The problems of one run of entry's playbook; prints one line of what it did."""
    mode = 'check' if check else 'normal'
    env = dict(os.environ, VENAFI_TPP_CACHE_DIR=cache_dir)
    if entry['env'] is not None:
        env = dict((name, value) for name, value in env.items() if not name.startswith('VENAFI_TPP_') or name == 'VENAFI_TPP_CACHE_DIR')
        env.update(entry['env'])
    command = ['ansible-playbook', '-i', entry['inventory'], '-e', '@' + extra_vars_file, entry['playbook']]
    if entry['extra_vars']:
        command[3:3] = ['-e', json.dumps(entry['extra_vars'])]
    if check:
        command += ['--check', '--diff']
    before, tokens_before, files_before = tpp_ctl.call(workdir, 'stats'), cached_tokens(cache_dir), tree_digest(root)
    log = os.path.join(log_dir, '%s.%s.log' % (os.path.relpath(entry['playbook'], os.path.dirname(log_dir)).replace('/', '_'), mode))
    started = time.monotonic()
    returncode = ansible_playbook(command[1:], entry['directory'], env, log)
    seconds = time.monotonic() - started
    after, tokens_after = tpp_ctl.call(workdir, 'stats'), cached_tokens(cache_dir)
    with open(log, encoding='utf-8') as handle:
        output = handle.read()

    recap = RECAP.findall(output)
    sent = sum(after['requests'].values()) - sum(before['requests'].values())
    writes = sum(after['requests'].get('POST /vedsdk/oauth/' + name, 0) - before['requests'].get('POST /vedsdk/oauth/' + name, 0)
                 for name in tpp_ctl.OAUTH_WRITES)
    grants = (before['active_grants'], after['active_grants'])
    lookup_grants = tokens_after - tokens_before
    problems = []
    if returncode != 0:
        problems.append('ansible-playbook exited with %d' % returncode)
    if not recap or any(int(host[3]) or int(host[4]) for host in recap) or sum(int(host[1]) for host in recap) == 0:
        problems.append('the recap is not all ok: %s' % (recap or 'no recap'))
    if sent == 0:
        problems.append('no request reached the emulator')
    if grants[1] != grants[0] + lookup_grants:
        problems.append('active grants went from %d to %d, with %d new token(s) in the lookup cache: a grant was left behind'
                        % (grants[0], grants[1], lookup_grants))
    if check and writes:
        problems.append('check mode sent %d write(s) to the OAuth API' % writes)
    if check and tree_digest(root) != files_before:
        problems.append('check mode changed files under %s' % root)
    print('%s %s, %s: %.1f s, %s, %d requests, %d OAuth writes, active grants %d -> %d (%d cached by the lookup)%s'
          % ('FAILED' if problems else 'ok', mode, entry['name'], seconds,
             ', '.join('%s ok=%s changed=%s' % host[:3] for host in recap), sent, writes, grants[0], grants[1], lookup_grants,
             ''.join('\n  FAIL: ' + problem for problem in problems)))
    if problems:
        print('  its output (%s) ends with:\n' % log + '\n'.join('    ' + line for line in output.splitlines()[-30:]))
    return problems


def main(collection_root, output_dir, ctl_py):
    sys.stdout.reconfigure(line_buffering=True)
    sys.path.insert(0, os.path.dirname(ctl_py))
    import tpp_ctl  # pylint: disable=import-outside-toplevel,import-error

    started = time.monotonic()
    shutil.rmtree(os.path.join(output_dir, 'docs'), ignore_errors=True)
    root, cache_dir, log_dir = (os.path.join(output_dir, 'docs', name) for name in ('root', 'token-cache', 'logs'))
    values = dict(url=URL, ca_path=CA, root=root, group=grp.getgrgid(os.getgid()).gr_name)
    runs = extract(collection_root, output_dir, values)
    make_givens(root)
    mint_admin_jwt(collection_root, root)
    os.makedirs(log_dir)
    extra_vars_file = os.path.join(output_dir, 'docs', 'extra-vars.yml')
    with open(extra_vars_file, 'w', encoding='utf-8') as handle:
        yaml.safe_dump(EXTRA_VARS, handle)
    failed = 0
    for entry in runs:
        for check in (True, False):
            failed += bool(run(tpp_ctl, os.environ['TPP_EMULATOR_WORKDIR'], entry, check, extra_vars_file, cache_dir, root, log_dir))
    print('docs_playbooks: %d playbooks, %d runs, %d failed, in %.0f s' % (len(runs), 2 * len(runs), failed, time.monotonic() - started))
    return 1 if failed or not runs else 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:]))
