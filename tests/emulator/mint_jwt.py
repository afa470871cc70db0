"""Mint a JWT the emulator trusts: ``python tests/emulator/mint_jwt.py --workdir DIR --sub svc-ansible``.

Options: ``--alg RS256|ES256`` (default RS256), ``--ttl SECONDS`` (default 300, negative for an
expired token), ``--iss`` and ``--aud`` (default: DIR/jwt/mapping.json). Prints the compact JWT.
"""

import argparse
import json
import os
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from tpp_emulator import jwt

KEY_FILES = {"RS256": "signing-key.pem", "ES256": "signing-key-es256.pem"}


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description="Mint a JWT signed by the emulator's trusted JWT key.")
    parser.add_argument("--workdir", required=True, help="the emulator's work directory")
    parser.add_argument("--sub", required=True, help="subject: the user name the JWT maps to")
    parser.add_argument("--alg", choices=sorted(KEY_FILES), default="RS256")
    parser.add_argument("--ttl", type=int, default=300, help="seconds until expiry (negative: already expired)")
    parser.add_argument("--iss", help="issuer (default: the mapping's issuer)")
    parser.add_argument("--aud", help="audience (default: the mapping's audience, {url}/vedauth)")
    return parser.parse_args(argv)


def main(argv=None):
    arguments = parse_arguments(argv)
    jwt_dir = os.path.join(arguments.workdir, "jwt")
    with open(os.path.join(jwt_dir, "mapping.json"), encoding="utf-8") as stream:
        mapping = json.load(stream)
    with open(os.path.join(jwt_dir, KEY_FILES[arguments.alg]), "rb") as stream:
        key_pem = stream.read()
    now = int(time.time())
    claims = {"iss": arguments.iss or mapping["issuer"], "sub": arguments.sub, "aud": arguments.aud or mapping["audience"],
              "iat": now, "exp": now + arguments.ttl, "jti": str(uuid.uuid4())}
    print(jwt.mint(key_pem, claims, arguments.alg))
    return 0


if __name__ == "__main__":
    sys.exit(main())
