"""Let ansible-test create its virtual environments without reaching the internet.

ansible-test builds every sanity and ``--venv`` environment with ``--without-pip`` and then runs a
pip bootstrap script that it downloads from a host this project's machines cannot reach. It first
looks for the script in ``~/.ansible/test/cache/get_pip_<version>.py``. This writes a stand-in
there: it installs pip from the interpreter's bundled ``ensurepip`` wheel, then installs the
requested packages with that pip, which honours the machine's own pip configuration (index, mirrors).
"""

import os
import re
import sys

import ansible_test

STAND_IN = '''"""Offline stand-in for get-pip.py, written by venafi_tpp.auth tools/offline_pip_bootstrap.py."""
import subprocess
import sys

# In a subprocess: ensurepip run in-process points PIP_CONFIG_FILE at /dev/null and hides the pip config.
subprocess.run([sys.executable, '-m', 'ensurepip', '--upgrade', '--default-pip'], check=True, stdout=subprocess.DEVNULL)
args = [arg for arg in sys.argv[1:] if arg not in ('--no-setuptools', '--no-wheel')]
sys.exit(subprocess.run([sys.executable, '-m', 'pip', 'install', '--upgrade'] + args, check=False).returncode)
'''


def pinned_pip_version():
    """The pip version the installed ansible-test bootstraps (its file name depends on it)."""
    source_path = os.path.join(os.path.dirname(ansible_test.__file__), '_internal', 'python_requirements.py')
    with open(source_path, encoding='utf-8') as source:
        match = re.search(r"pip='([0-9.]+)'", source.read())
    if not match:
        raise SystemExit(f'cannot find the pinned pip version in {source_path}')
    return match.group(1)


def main():
    cache_path = os.path.expanduser(f'~/.ansible/test/cache/get_pip_{pinned_pip_version().replace(".", "_")}.py')
    os.makedirs(os.path.dirname(cache_path), exist_ok=True)
    with open(cache_path, 'w', encoding='utf-8') as script:
        script.write(STAND_IN)
    print(cache_path)
    return 0


if __name__ == '__main__':
    sys.exit(main())
