"""Check that no file of the repository refers to a path outside it.

    python tools/check_self_contained.py [ROOT]

A clone must work with nothing beside it: no file that git knows (tracked, or untracked and not ignored) may
refer to a `shared` directory next to the repository, or to a path under this machine's /work tree. Prints one
line per reference (path:line: what) and exits 1 when it finds any.

Before checking ROOT (default: this repository), it plants such references in a throwaway repository and fails
unless it finds every one, so that it cannot pass by finding nothing. The patterns are built from parts, so
that this file does not match them itself.
"""

import os
import re
import subprocess
import sys
import tempfile

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIBLING = '..' + '/shared'
PATTERNS = (
    (re.compile(re.escape(SIBLING).encode()), 'refers to %s, a directory beside the repository' % SIBLING),
    (re.compile(rb'(?<![\w.~-])/' + b'work/'), "refers to this machine's /" + 'work tree'),
)


def known_files(root):
    """The files git knows under ``root``: tracked, or untracked and not ignored."""
    output = subprocess.run(['git', 'ls-files', '--cached', '--others', '--exclude-standard', '-z'],
                            cwd=root, check=True, capture_output=True).stdout.decode()
    return sorted(path for path in output.split('\0') if path and os.path.isfile(os.path.join(root, path)))


def references(root):
    """One ``path:line: what`` message per reference to a path outside the repository."""
    found = []
    for path in known_files(root):
        with open(os.path.join(root, path), 'rb') as handle:
            for number, line in enumerate(handle, 1):
                found.extend('%s:%d: %s' % (path, number, what) for pattern, what in PATTERNS if pattern.search(line))
    return found


def self_test():
    """Plant each kind of reference in a throwaway repository; an error message unless every one is found."""
    planted = {'docs/notes.md': 'Read %s/tpp-api.md first.\n' % SIBLING,
               'tests/conftest.py': 'SPEC = "/%s/shared/tpp-openapi"\n' % 'work',
               'clean.txt': 'framework/ and /srv/work/ are fine.\n'}
    with tempfile.TemporaryDirectory() as root:
        subprocess.run(['git', 'init', '-q', root], check=True)
        for path, text in planted.items():
            os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
            with open(os.path.join(root, path), 'w', encoding='utf-8') as handle:
                handle.write(text)
        subprocess.run(['git', 'add', 'docs/notes.md'], cwd=root, check=True)  # one tracked, the others untracked
        found = sorted(message.split(':', 1)[0] for message in references(root))
    if found != ['docs/notes.md', 'tests/conftest.py']:
        return 'self-test failed: planted references in docs/notes.md and tests/conftest.py, found %s' % (found or 'none')
    return None


def main():
    root = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else REPO_ROOT
    failure = self_test()
    if failure:
        print(failure)
        return 1
    found = references(root)
    for message in found:
        print(message)
    print('%d files checked, %d references to paths outside the repository' % (len(known_files(root)), len(found)))
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main())
