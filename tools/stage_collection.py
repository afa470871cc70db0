"""Copy the collection's source files to DEST/ansible_collections/venafi_tpp/auth.

ansible-test only runs inside an ``ansible_collections/<namespace>/<name>`` tree, while this
repository's root is the collection root. The copy takes the files git knows about (tracked, or
untracked and not ignored), so local build and test output never leaks into it, and removes files
that have disappeared since the last copy.
"""

import argparse
import filecmp
import os
import shutil
import subprocess
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAMESPACE, NAME = 'venafi_tpp', 'auth'


def source_files():
    """Relative paths of the files that make up the collection source."""
    output = subprocess.run(
        ['git', 'ls-files', '--cached', '--others', '--exclude-standard', '-z'],
        cwd=REPO_ROOT, check=True, capture_output=True,
    ).stdout.decode()
    return sorted(path for path in output.split('\0') if path and os.path.isfile(os.path.join(REPO_ROOT, path)))


def stage(dest_root):
    """Make dest_root/ansible_collections/venafi_tpp/auth mirror the source files; return that path."""
    target = os.path.join(dest_root, 'ansible_collections', NAMESPACE, NAME)
    wanted = set(source_files())
    for path in wanted:
        src, dst = os.path.join(REPO_ROOT, path), os.path.join(target, path)
        if os.path.isfile(dst) and filecmp.cmp(src, dst, shallow=False) and os.stat(src).st_mode == os.stat(dst).st_mode:
            continue
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(src, dst)
    for dirpath, dirnames, filenames in os.walk(target):
        rel_dir = os.path.relpath(dirpath, target)
        # ansible-test's own output lives in the copy; keep it between runs.
        dirnames[:] = [d for d in dirnames if os.path.normpath(os.path.join(rel_dir, d)) not in ('tests/output', '.ansible')]
        for filename in filenames:
            rel = os.path.normpath(os.path.join(rel_dir, filename))
            if rel not in wanted:
                os.unlink(os.path.join(dirpath, filename))
    return target


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('dest', help='directory that receives ansible_collections/')
    print(stage(os.path.abspath(parser.parse_args().dest)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
