"""The emulator's control API for runme.sh: request counters and the server clock.

    python emulator_control.py counts          prints the counts of authorize/oauth, authorize/token, authorize/verify, authorize/certificate
    python emulator_control.py advance SECONDS moves the server clock forward

Reads the emulator's address from VENAFI_TPP_URL and its CA from VENAFI_TPP_CA_PATH.
"""

import json
import os
import ssl
import sys
import urllib.request

COUNTED = ('POST /vedauth/authorize/oauth', 'POST /vedauth/authorize/token', 'GET /vedauth/authorize/verify', 'POST /vedauth/authorize/certificate')


def call(path, body=None):
    context = ssl.create_default_context(cafile=os.environ['VENAFI_TPP_CA_PATH'])
    data = None if body is None else json.dumps(body).encode('utf-8')
    request = urllib.request.Request(os.environ['VENAFI_TPP_URL'] + '/_emulator/' + path, data=data,
                                     headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, context=context, timeout=30) as response:
        return json.load(response)


def main(argv):
    if argv[1:] == ['counts']:
        requests = call('stats')['requests']
        print(' '.join(str(requests.get(name, 0)) for name in COUNTED))
    elif len(argv) == 3 and argv[1] == 'advance':
        call('clock', {'advance': int(argv[2])})
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main(sys.argv)
