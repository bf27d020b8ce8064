"""Checks on the machine around the files: permissions of the files and caches, and git.

Git questions are answered by git itself (``git rev-parse``, ``git check-ignore``), never guessed
from .gitignore text: only git knows its precedence of global, repository and negated patterns.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from awsprof.doctor.findings import Finding, Severity

GIT_TIMEOUT = 10.0


def _mode(path: Path) -> int | None:
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return None


def permissions(config: Path, credentials: Path, caches: list[Path]) -> list[Finding]:
    findings: list[Finding] = []
    mode = _mode(credentials)
    if mode is not None and mode & 0o077:
        findings.append(
            Finding(
                "AWSP040",
                Severity.ERROR,
                credentials,
                None,
                f"the credentials file has mode {mode:04o}: other users can read or change it",
                "Anyone else on this machine can copy the keys in it.",
                f"chmod 600 {credentials} (`awsprof doctor --fix` does it).",
                fixable=True,
            )
        )
    mode = _mode(config)
    if mode is not None and mode & 0o022:
        findings.append(
            Finding(
                "AWSP042",
                Severity.ERROR,
                config,
                None,
                f"the config file has mode {mode:04o}: other users can change it",
                "Whoever can write the config can set a credential_process, which runs their "
                "command as you.",
                f"chmod go-w {config} (`awsprof doctor --fix` does it).",
                fixable=True,
            )
        )
    for cache in caches:
        exposed = [p for p in _tree(cache) if (_mode(p) or 0) & 0o077]
        if exposed:
            findings.append(
                Finding(
                    "AWSP041",
                    Severity.ERROR,
                    cache,
                    None,
                    f"{len(exposed)} cache entr{'y' if len(exposed) == 1 else 'ies'} under this "
                    "folder can be read by other users",
                    "The caches hold SSO and sign-in tokens and temporary credentials: "
                    "readable, they let others act as you until they expire.",
                    f"chmod -R go-rwx {cache} (`awsprof doctor --fix` does it).",
                    fixable=True,
                )
            )
    return findings


def _tree(folder: Path) -> Iterator[Path]:
    if not folder.is_dir() or folder.is_symlink():
        return
    yield folder
    for entry in folder.iterdir():
        if entry.is_file() and not entry.is_symlink():
            yield entry


def _git(args: list[str], cwd: Path, environ: Mapping[str, str]) -> int | None:
    git = shutil.which("git", path=environ.get("PATH"))
    if git is None:
        return None
    try:
        done = subprocess.run(  # noqa: S603 - git with fixed arguments, no shell
            [git, *args],
            cwd=cwd,
            env=dict(environ),
            stdout=subprocess.DEVNULL,  # only the exit code counts: nothing is read, or held
            stderr=subprocess.DEVNULL,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.returncode


def git_exposure(credentials: Path, home: Path, environ: Mapping[str, str]) -> list[Finding]:
    """A credentials file inside a git work tree, or one git would not ignore."""
    folder = credentials.parent
    if not credentials.exists() or not folder.is_dir():
        return []
    findings = []
    inside = _git(["rev-parse", "--is-inside-work-tree"], folder, environ) == 0
    if inside:
        findings.append(
            Finding(
                "AWSP043",
                Severity.WARNING,
                folder,
                None,
                "this folder is inside a git work tree",
                "One `git add -A` commits your keys; pushed, they are public in minutes.",
                "Move the repository elsewhere or add the folder to its .gitignore.",
            )
        )
        ignored = _git(["check-ignore", "-q", "--no-index", credentials.name], folder, environ)
    else:
        # No repository here: ask git what a repository at HOME (a dotfiles repo, the usual
        # accident) would do, with the user's global excludes, in a throwaway repository.
        ignored = _ignored_in_scratch_repo(credentials, home, environ)
    if ignored == 1:
        findings.append(
            Finding(
                "AWSP044",
                Severity.WARNING if not inside else Severity.ERROR,
                credentials,
                None,
                "git would not ignore the credentials file",
                "Without an ignore rule, a repository that contains this file will offer to "
                "commit the keys.",
                "Add `.aws/credentials` to your global gitignore "
                "(git config --global core.excludesFile).",
            )
        )
    return findings


def _ignored_in_scratch_repo(
    credentials: Path, home: Path, environ: Mapping[str, str]
) -> int | None:
    try:
        relative = credentials.resolve().relative_to(home.resolve())
    except ValueError:
        relative = Path(credentials.name)
    with tempfile.TemporaryDirectory(prefix="awsprof-doctor-") as scratch:
        root = Path(scratch)
        if _git(["init", "-q", "."], root, environ) != 0:
            return None
        return _git(["check-ignore", "-q", "--no-index", relative.as_posix()], root, environ)
