"""Start the TPP emulator: ``python tests/emulator/serve.py --workdir DIR [--host H] [--port P] [--seed FILE]``.

On ready it writes DIR/emulator.json atomically and prints the same JSON object as one line; DIR/seed.json, written
before, tells tests the seed's users, passwords and client certificates.
SIGTERM or SIGINT stops it cleanly (exit 0). See README.md for the files it writes.
"""

import argparse
import json
import os
import signal
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from tpp_emulator import control_plane, jwks, pki, server, state
from tpp_emulator.state.identities import ntlm_credentials
from tpp_emulator.seed import DEFAULT_SEED, published


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description="Run the Venafi TPP emulator over HTTPS.")
    parser.add_argument("--workdir", required=True, help="directory for certificates, keys and emulator.json")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default 0: any free port)")
    parser.add_argument("--seed", help="JSON file replacing the default seed")
    return parser.parse_args(argv)


def load_seed(path):
    if not path:
        return DEFAULT_SEED
    with open(path, encoding="utf-8") as stream:
        return json.load(stream)


def base_url(host, port):
    return "https://%s:%d" % ("[%s]" % host if ":" in host else host, port)


def prepare_workdir(workdir, host, seed):
    """Write key material, the NTLM user file and seed.json; returns the server certificate's DER."""
    os.makedirs(workdir, exist_ok=True)
    server_der = pki.prepare(workdir, host)
    pki.atomic_write(os.path.join(workdir, "seed.json"), json.dumps(published(seed, workdir), indent=2) + "\n", 0o600)
    users_file = os.path.join(workdir, "ntlm-users.txt")
    pki.atomic_write(users_file, "".join(line + "\n" for line in ntlm_credentials(seed)), 0o600)
    # pyspnego's NTLM acceptor reads the user file named by this variable.
    os.environ["NTLM_USER_FILE"] = users_file
    return server_der


def stop_on_signals(emulator):
    def stop(signum, frame):
        # shutdown() waits for serve_forever() to return, so it must not run on the serving thread.
        threading.Thread(target=emulator.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


def main(argv=None):
    arguments = parse_arguments(argv)
    workdir = os.path.abspath(arguments.workdir)
    seed = load_seed(arguments.seed)
    server_der = prepare_workdir(workdir, arguments.host, seed)
    emulator = server.EmulatorServer((arguments.host, arguments.port), server.tls_context(workdir), server.channel_bindings(server_der))
    url = base_url(arguments.host, emulator.server_address[1])
    emulator.control = control_plane.ControlPlane(url)
    ca_path = os.path.join(workdir, "ca.pem")
    emulator.store = state.Store(seed, url, pki.jwt_public_keys(workdir), emulator.control.clock, jwks.https_context(ca_path))
    mapping = {"issuer": emulator.store.jwt_issuer, "audience": emulator.store.jwt_audience}
    pki.atomic_write(os.path.join(workdir, "jwt", "mapping.json"), json.dumps(mapping, indent=2) + "\n")
    ready = json.dumps({"url": url, "ca_path": ca_path, "pid": os.getpid()})
    pki.atomic_write(os.path.join(workdir, "emulator.json"), ready + "\n")
    stop_on_signals(emulator)
    print(ready, flush=True)
    emulator.serve_forever()
    emulator.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
