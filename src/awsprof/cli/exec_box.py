"""The protected-account box of `exec` once per shell session, not on every call.

The box informs; the question protects. When this shell (the parent process of `awsprof`) has
already been shown the box for this account and level, and the guard's decision is to run without
asking, `exec` prints one line instead of calling :func:`awsprof.cli.guard_run.guard_exec` again.
Whenever the decision asks or refuses, guard_exec runs as always, box included.

The decision is the guard engine's own (:func:`awsprof.cli.guard_run.exec_verdict`, the one that
guard_exec then acts on); only the "seen" record is this module's: an empty file per
(shell process, its start time, account, level) in awsprof's cache, so a reused process ID is a
new session.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path

from awsprof.hashing import sha1_hex

TYPE_CHECKING = False
if TYPE_CHECKING:
    from awsprof.reader.selection import Selection

STALE_SECONDS = 7 * 24 * 3600  # records of shells gone for a week are removed


def _shell_session() -> str:
    """The parent process and its start time (Linux /proc; elsewhere the process ID alone)."""
    parent = os.getppid()
    try:
        with open(f"/proc/{parent}/stat", encoding="utf-8") as handle:
            fields = handle.read().rpartition(")")[2].split()
        return f"{parent}:{fields[19]}"  # field 22 of stat: the start time
    except (OSError, IndexError):
        return str(parent)


def _record(cache: Path, account: str | None, level: str) -> Path:
    key = sha1_hex(f"{_shell_session()}|{account}|{level}".encode())
    return cache / "exec-box" / key


def guard_once(
    environ: Mapping[str, str],
    cache: Path,
    selection: Selection,
    known_keys: Mapping[str, str],
    command: list[str],
    confirm: str | None,
) -> None:
    """guard_exec, with its box shown once per shell session when nothing is asked."""
    from awsprof.cli.guard_run import exec_verdict, guard_exec
    from awsprof.guard import decide as rules

    verdict = exec_verdict(environ, selection, known_keys, command, confirm)
    action, level, target = verdict.action, verdict.decision.level, verdict.facts.account
    record = _record(cache, target, level) if level else None
    if action == rules.RUN and record is not None and record.exists():
        import sys

        sys.stderr.write(
            f"awsprof: exec into protected account {target} (level {level}); "
            "the details were shown earlier in this shell\n"
        )
        return
    guard_exec(environ, selection, known_keys, command, confirm, verdict)
    if action == rules.RUN and record is not None:
        _remember(record)


def _remember(record: Path) -> None:
    try:
        record.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        record.touch(mode=0o600)
        cutoff = time.time() - STALE_SECONDS
        for old in record.parent.iterdir():
            if old.stat().st_mtime < cutoff:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # only the box's repetition depends on it
