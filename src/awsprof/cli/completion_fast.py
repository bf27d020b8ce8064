"""``awsprof __complete --current=WORD -- WORDS...``: the candidates, one per line (fast path).

The command tree (commands, options, choices, arguments) is read from the click application once
and cached in awsprof's cache, keyed by the version and the command modules' times, so a Tab costs
one small JSON read (no click) plus, where profiles are wanted, the fast profile-name reader.
Never fails loudly: a Tab that cannot be completed prints nothing (a malformed config file gives
no profile names rather than an error in the middle of the person's command line).
"""

from __future__ import annotations

import json
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any


def complete(args: list[str]) -> int:
    from awsprof.shell.completion import candidates

    if not args or not args[0].startswith("--current=") or args[1:2] != ["--"]:
        return 2
    current = args[0].partition("=")[2]
    words = args[2:]

    def profile_names() -> list[str]:
        from awsprof.errors import AwsprofError
        from awsprof.profiles.model import list_profile_names

        try:
            return list_profile_names(os.environ)
        except AwsprofError:
            return []

    found = candidates(load_tree(os.environ), words, current, profile_names)
    if found:
        sys.stdout.write("\n".join(found) + "\n")
    return 0


def _cache_key() -> str:
    from awsprof import __version__

    here = os.path.dirname(__file__)
    newest = 0
    for entry in os.scandir(here):
        if entry.name.endswith(".py"):
            newest = max(newest, entry.stat().st_mtime_ns)
    return f"{__version__}-{newest}"


def load_tree(environ: Mapping[str, str]) -> Mapping[str, Any]:
    """The cached tree, or built (and cached) when the code changed since."""
    from awsprof.files.locate import cache_dir

    path = cache_dir(environ) / "completion-tree.json"
    key = _cache_key()
    try:
        with open(path, encoding="utf-8") as handle:
            cached = json.load(handle)
        if cached.get("key") == key:
            tree: Mapping[str, Any] = cached["tree"]
            return tree
    except (OSError, ValueError, KeyError, AttributeError):
        pass
    from awsprof.cli.completion import build_tree

    built = build_tree()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        temporary.write_text(json.dumps({"key": key, "tree": built}), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass  # completion works without the cache, only slower
    return built
