"""Check that a built collection tarball holds what users need and nothing of the development tree.

    python tools/check_tarball.py TARBALL

Every file must sit under one of SHIPPED (an allowlist, so a new development directory cannot slip in
unnoticed), none may be a Python cache, and the REQUIRED files must be there. Prints the tarball's size
in bytes and its file count; exits 1 with one line per problem otherwise.

Not shipped on purpose: the integration targets and the TPP emulator they start (tests/integration,
tests/emulator) only run together from a source checkout (`make integration`); the demo, tools,
Makefile, CI and development requirements are for working on the collection, not for using it.
"""

import os
import sys
import tarfile

SHIPPED = (
    'MANIFEST.json', 'FILES.json', 'README.md', 'CHANGELOG.rst', 'COPYING', 'requirements.txt', 'bindep.txt',
    'meta/', 'plugins/', 'roles/', 'docs/', 'changelogs/changelog.yaml', 'changelogs/config.yaml', 'changelogs/fragments/',
    'tests/config.yml', 'tests/sanity/', 'tests/unit/',
)
REQUIRED = (
    'MANIFEST.json', 'FILES.json', 'README.md', 'CHANGELOG.rst', 'COPYING', 'requirements.txt', 'bindep.txt',
    'meta/runtime.yml', 'meta/execution-environment.yml',
)


def problems(names):
    """One message per file that must not ship and per required file that is missing."""
    found = []
    for name in names:
        if '__pycache__/' in name or name.endswith(('.pyc', '.pyo')):
            found.append('%s: a Python cache file' % name)
        elif not any(name == entry or (entry.endswith('/') and name.startswith(entry)) for entry in SHIPPED):
            found.append('%s: not part of the shipped collection (tools/check_tarball.py SHIPPED)' % name)
    found.extend('%s: missing' % name for name in REQUIRED if name not in names)
    return found


def main():
    if len(sys.argv) != 2:
        raise SystemExit('usage: python tools/check_tarball.py TARBALL')
    path = sys.argv[1]
    with tarfile.open(path) as tarball:
        names = {member.name for member in tarball.getmembers() if member.isfile()}
    found = problems(names)
    for message in sorted(found):
        print('%s: %s' % (os.path.basename(path), message))
    print('%s: %d bytes, %d files%s' % (path, os.path.getsize(path), len(names), ', %d problems' % len(found) if found else ''))
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main())
