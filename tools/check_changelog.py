"""Check the changelog the way a release needs it.

    python tools/check_changelog.py

Fails, with one line per problem, when ``antsibull-changelog lint`` finds a bad fragment, when
changelogs/changelog.yaml is invalid, when a fragment waits while galaxy.yml's version is already
released (the tarball of that version would not match its changelog), or when CHANGELOG.rst is not
what ``antsibull-changelog generate`` makes of changelogs/changelog.yaml.
"""

import filecmp
import os
import subprocess
import sys
import tempfile

import yaml

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FRAGMENTS = os.path.join(REPO_ROOT, 'changelogs', 'fragments')
CHANGES = os.path.join(REPO_ROOT, 'changelogs', 'changelog.yaml')


def antsibull_changelog(*args):
    """Run antsibull-changelog in the repository; return its exit code (its output goes to ours)."""
    return subprocess.call(['antsibull-changelog'] + list(args), cwd=REPO_ROOT)


def load_yaml(path):
    with open(path, encoding='utf-8') as stream:
        return yaml.safe_load(stream) or {}


def main():
    if antsibull_changelog('lint') or antsibull_changelog('lint-changelog-yaml', CHANGES):
        return 1
    version = load_yaml(os.path.join(REPO_ROOT, 'galaxy.yml'))['version']
    released = load_yaml(CHANGES).get('releases') or {}
    waiting = sorted(name for name in os.listdir(FRAGMENTS) if name.endswith(('.yml', '.yaml')))
    if version in released and waiting:
        print('changelogs/fragments/%s: galaxy.yml says %s, which is already released; run `make changelog-release` to add the'
              ' fragments to %s, or raise the version in galaxy.yml' % (', '.join(waiting), version, version))
        return 1
    if not released:
        print('changelog: fragments lint; no release yet, so no CHANGELOG.rst to check')
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        generated = os.path.join(tmp, 'CHANGELOG.rst')
        if antsibull_changelog('generate', '--output', generated):
            return 1
        committed = os.path.join(REPO_ROOT, 'CHANGELOG.rst')
        if not os.path.exists(committed) or not filecmp.cmp(generated, committed, shallow=False):
            print('CHANGELOG.rst: not what `antsibull-changelog generate` makes of changelogs/changelog.yaml; run it and commit')
            return 1
    print('changelog: fragments lint, changelog.yaml valid, CHANGELOG.rst up to date (releases: %s)' % ', '.join(released))
    return 0


if __name__ == '__main__':
    sys.exit(main())
