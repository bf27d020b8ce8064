"""The sandbox's background process: ``python -m awsprof.sandbox.serve --home DIR --ready-file F``.

It runs both servers until SIGTERM or SIGINT, and reports to the process that started it through the
ready file (mode 0600, written atomically): the ports and the seeded keys, or the error that stopped
it. It also stops by itself when its home directory disappears or a watched process ends, so a
deleted temporary home or a killed ``sandbox demo`` never leaves servers behind.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

from awsprof.errors import SandboxError

WATCH_SECONDS = 1.0


def _log(message: str) -> None:
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
    sys.stderr.write(f"{stamp} sandbox[{os.getpid()}]: {message}\n")
    sys.stderr.flush()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _report(ready_file: Path, payload: dict[str, object]) -> None:
    from awsprof.sandbox.home import write_private

    write_private(ready_file, json.dumps(payload))


def _watch(home: Path, watch_pid: int | None, stop: threading.Event) -> None:
    while not stop.wait(WATCH_SECONDS):
        if not home.is_dir():
            _log(f"home {home} is gone: stopping")
            stop.set()
        elif watch_pid is not None and not _alive(watch_pid):
            _log(f"process {watch_pid} ended: stopping")
            stop.set()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m awsprof.sandbox.serve")
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--ready-file", type=Path, required=True)
    parser.add_argument("--moto-port", type=int, default=0)
    parser.add_argument("--idc-port", type=int, default=0)
    parser.add_argument("--extra-accounts", type=int, default=0)
    parser.add_argument("--watch-pid", type=int, default=None)
    args = parser.parse_args(argv)

    # Nothing from the person's AWS setup may reach this process (it never reads ~/.aws).
    for name in [n for n in os.environ if n.startswith("AWS_")]:
        del os.environ[name]
    os.environ["HOME"] = str(args.home)

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, lambda *_: stop.set())

    from awsprof.sandbox.runtime import start_sandbox

    try:
        sandbox = start_sandbox(args.moto_port, args.idc_port, args.extra_accounts, _log)
    except SandboxError as error:
        _log(f"failed: {error.message}")
        _report(args.ready_file, {"error": error.message, "hint": error.hint})
        return 1
    except Exception as error:  # report anything to the waiting parent, then fail
        _log(f"failed: {type(error).__name__}: {error}")
        _report(args.ready_file, {"error": f"{type(error).__name__}: {error}"})
        return 1
    keys = {
        account: {"access_key_id": k.access_key_id, "secret_access_key": k.secret_access_key}
        for account, k in sandbox.seeded.static_keys.items()
    }
    _report(
        args.ready_file,
        {
            "pid": os.getpid(),
            "moto_port": sandbox.moto.port,
            "idc_port": sandbox.identity_center.port,
            "static_keys": keys,
        },
    )
    _log(f"moto on {sandbox.moto.url}, Identity Center on {sandbox.identity_center.url}")
    threading.Thread(target=_watch, args=(args.home, args.watch_pid, stop), daemon=True).start()
    while not stop.wait(0.5):
        pass
    sandbox.stop()
    _log("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
