"""Check an execution environment build context made by ``ansible-builder create`` for this collection.

    python tools/check_ee.py CONTEXT COLLECTIONS_PATH

CONTEXT is the build context of docs/examples/execution-environment.yml; COLLECTIONS_PATH holds the
installed tarball (``ansible_collections/venafi_tpp/auth``). Checks that the context installs the
collection, and runs the context's own introspection script (the one the image build runs after
installing the collections) on the installed collection: it must yield exactly requirements.txt and
bindep.txt, which proves meta/execution-environment.yml is wired up. Exits 1 with one line per problem.
"""

import os
import subprocess
import sys

import yaml

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTION = 'venafi_tpp.auth'


def requirements(lines):
    """Requirement lines without comments and blank lines."""
    return [line.split('#')[0].strip() for line in lines if line.split('#')[0].strip()]


def load(path, parse=yaml.safe_load):
    with open(path, encoding='utf-8') as stream:
        return parse(stream)


def problems(context, collections_path):
    found = []
    containerfile = os.path.join(context, 'Containerfile')
    if not os.path.isfile(containerfile):
        return ['%s: missing' % containerfile]
    with open(containerfile, encoding='utf-8') as stream:
        if 'ansible-galaxy collection install' not in stream.read():
            found.append('%s: does not install collections' % containerfile)
    galaxy = load(os.path.join(context, '_build', 'requirements.yml'))
    if COLLECTION not in [entry.get('name') for entry in galaxy.get('collections', [])]:
        found.append('%s/_build/requirements.yml: does not name %s' % (context, COLLECTION))
    introspect = [sys.executable, os.path.join(context, '_build', 'scripts', 'introspect.py'), 'introspect', collections_path]
    declared = yaml.safe_load(subprocess.run(introspect, check=True, capture_output=True, text=True).stdout) or {}
    for kind, source in (('python', 'requirements.txt'), ('system', 'bindep.txt')):
        got = requirements(declared.get(kind) or [])
        want = load(os.path.join(REPO_ROOT, source), requirements)
        if got != want:
            found.append('introspection of %s: %s requirements %s, expected %s from %s' % (COLLECTION, kind, got, want, source))
        else:
            print('%s requirements from meta/execution-environment.yml: %s' % (kind, ', '.join(got)))
    return found


def main():
    if len(sys.argv) != 3:
        raise SystemExit('usage: python tools/check_ee.py CONTEXT COLLECTIONS_PATH')
    found = problems(*sys.argv[1:])
    for message in found:
        print(message)
    if not found:
        print('%s: build context for an execution environment with %s' % (sys.argv[1], COLLECTION))
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main())
