"""The contents of `--cli-input-json` / `--cli-input-yaml`, read as the AWS CLI would read them.

Their keys are the operation's parameters (`{"DryRun": false}` is `--no-dry-run`), so the
classifier must see them. Inline text and `file://` / `fileb://` files are read; a URL is never
fetched, a file that is not a regular file (a FIFO, `/dev/stdin`) is never opened for reading
(that would steal the CLI's input), and more than `LIMIT` bytes is not read. Whatever cannot be
read comes back as a problem, and the classifier then assumes the most dangerous reading.
"""

from __future__ import annotations

import os
import stat

LIMIT = 1 << 20  # 1 MiB: far above any real request, small enough to read on every command


class Unreadable(Exception):
    """Why the contents cannot be known: said in the reason of the verdict."""


class Missing(Unreadable):
    """The file does not exist: the AWS CLI stops on it too, so nothing is sent."""


def _file_text(value: str) -> str:
    path = os.path.expandvars(os.path.expanduser(value.partition("://")[2]))
    try:
        # O_NONBLOCK: a FIFO swapped in after a check must not hang the guard.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise Missing(f"`{value}` does not exist") from None
    except OSError as error:
        raise Unreadable(f"`{value}` cannot be opened ({error.strerror})") from None
    except ValueError:
        raise Unreadable(f"`{value}` is not a file name") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable(f"`{value}` is not a regular file")
        if info.st_size > LIMIT:
            raise Unreadable(f"`{value}` is larger than {LIMIT // 1024} KiB")
        data = os.read(fd, LIMIT + 1)
    finally:
        os.close(fd)
    if len(data) > LIMIT:
        raise Unreadable(f"`{value}` is larger than {LIMIT // 1024} KiB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise Unreadable(f"`{value}` is not UTF-8 text") from None


def read_text(value: str) -> str:
    """The text of a `file://` / `fileb://` argument; raises Unreadable (Missing when absent)."""
    return _file_text(value)


def read(value: str | None, *, yaml: bool) -> tuple[dict[str, object], str]:
    """(the parameters, the text they came from); raises Unreadable."""
    if value is None:
        raise Unreadable("no value was given")
    prefix = value[:8].lower()
    if prefix.startswith(("http://", "https://")):
        raise Unreadable("a URL, which the guard never fetches")
    if value.startswith(("file://", "fileb://")):
        text = _file_text(value)
    elif len(value) > LIMIT:
        raise Unreadable(f"larger than {LIMIT // 1024} KiB")
    else:
        text = value
    if yaml:
        import importlib

        try:
            pyyaml = importlib.import_module("yaml")  # PyYAML, only for this rare option
        except ImportError:
            raise Unreadable("YAML cannot be read here (PyYAML is not installed)") from None
        try:
            data = pyyaml.safe_load(text)
        except pyyaml.YAMLError as error:
            raise Unreadable(f"not valid YAML ({type(error).__name__})") from None
    else:
        from awsprof.guard.jsonread import loads  # json's own parser, without importing json

        try:
            data = loads(text)
        except ValueError as error:
            raise Unreadable(f"not valid JSON ({error.args[0].partition(':')[0]})") from None
    if not isinstance(data, dict):
        raise Unreadable("not an object of parameters")
    return data, text
