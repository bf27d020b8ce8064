"""Which options an AWS CLI operation has, so that an abbreviation can be expanded as argparse does.

The AWS CLI (v1 and v2) parses each operation's options with argparse, which accepts any unique
prefix of an option (`--no-dry` is `--no-dry-run`) and rejects a prefix that several options
share. An API operation's options are its input members in kebab-case (booleans also get a
`--no-` form), plus the options the CLI adds (`--cli-input-json`, pagination, ...).

The classifier asks here only when an option it does not know exactly could be an abbreviation of
one that matters to its verdict; `describe` asks when it shows a command. Nothing imports
botocore: botocore's data directory is located with `importlib.util.find_spec`, and only the one
service's newest `service-2.json[.gz]` is read. What is learnt from it (option names, which are
booleans, which carry secrets) is kept in awsprof's own cache, keyed by the model file's identity,
so that the large models (EC2's takes about 150 ms to read) are read once per botocore release.
"""

from __future__ import annotations

import os
import re
import sys

# The AWS CLI's command names for the services botocore names otherwise.
CLI_TO_BOTOCORE = {"s3api": "s3", "configservice": "config", "deploy": "codedeploy"}

# Options the CLI adds to every API operation, and to the paginated ones.
ADDED_OPTIONS = ("--cli-input-json", "--cli-input-yaml", "--generate-cli-skeleton")
PAGINATION_OPTIONS = ("--starting-token", "--page-size", "--max-items")

_FORMAT = 1
# A service's name: [a-z0-9][a-z0-9-]* (checked without compiling an expression).
_NAME_START = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_NAME_CHARS = _NAME_START | {"-"}
# An option index: operation (kebab-case) -> (its options, the boolean ones, the secret ones).
Index = dict[str, tuple[list[str], list[str], list[str]]]
_loaded: dict[str, Index | None] = {}


def kebab(name: str) -> str:
    """A model name as the CLI spells it: `DBInstanceIdentifier` -> `db-instance-identifier`.

    The same rule as botocore's name transform: a trailing plural acronym (`ARNs`) is one word, a
    capital followed by lower case starts a word, and a capital after a lower-case letter or digit
    starts one.
    """
    if "-" in name:
        return name
    name = name.replace("iSCSI", "Iscsi")  # storagegateway's `CachediSCSIVolume`: one word
    plural = re.search(r"[A-Z]{2,}s$", name)
    if plural:
        name = f"{name[: plural.start()]}-{plural.group().lower()}"
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1-\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", name).lower()


def _botocore_dir() -> str | None:
    """botocore's package directory, as the import system would find it, without importing it.

    A regular package on ``sys.path`` (the usual install) is found by looking at each entry in
    order, as the path finder does; anything else (an import hook, a zip) is left to
    ``importlib.util.find_spec``, whose import costs the guard's start-up about half a
    millisecond.
    """
    if "botocore" in sys.modules:  # already imported (a library user): find_spec answers that
        return _found_by_import_system()
    for entry in sys.path:
        package = os.path.join(entry or os.curdir, "botocore")
        if os.path.isfile(os.path.join(package, "__init__.py")):
            return package
        if os.path.exists(package) or os.path.exists(package + ".py"):
            break  # something else named botocore comes first: the import system decides
    return _found_by_import_system()


def _found_by_import_system() -> str | None:
    import importlib.util

    try:
        spec = importlib.util.find_spec("botocore")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return str(next(iter(spec.submodule_search_locations)))


def _model_file(service: str) -> str | None:
    """The newest `service-2.json[.gz]` of `service` in botocore's data, without importing it."""
    package = _botocore_dir()
    if package is None:
        return None
    directory = os.path.join(package, "data", service)
    try:
        versions = sorted(entry.name for entry in os.scandir(directory) if entry.is_dir())
    except OSError:
        return None
    for version in reversed(versions):  # API versions are dates: the newest sorts last
        for name in ("service-2.json.gz", "service-2.json"):
            candidate = os.path.join(directory, version, name)
            if os.path.isfile(candidate):
                return candidate
    return None


def _read_model(path: str) -> Index:
    import contextlib  # (here and in _store: only when a model is read, once per release)
    import json

    with open(path, "rb") as handle:
        raw = handle.read()
    if path.endswith(".gz"):
        import gzip

        raw = gzip.decompress(raw)
    model = json.loads(raw)
    shapes: dict[str, dict[str, object]] = model.get("shapes", {})
    paginated: set[str] = set()
    with contextlib.suppress(OSError, ValueError):
        with open(os.path.join(os.path.dirname(path), "paginators-1.json"), "rb") as handle:
            pages = json.loads(handle.read())
        paginated = set(pages.get("pagination", {}))
    index: Index = {}
    for name, operation in model.get("operations", {}).items():
        options: list[str] = [*ADDED_OPTIONS, *(PAGINATION_OPTIONS if name in paginated else ())]
        booleans: list[str] = []
        secret: list[str] = []
        members = shapes.get(operation.get("input", {}).get("shape", ""), {}).get("members", {})
        if not isinstance(members, dict):
            continue
        for member, reference in members.items():
            option = "--" + kebab(member)
            target = shapes.get(reference.get("shape", ""), {})
            options.append(option)
            if target.get("type") == "boolean":
                booleans.append(option)
                options.append("--no-" + option[2:])
            if reference.get("sensitive") or target.get("sensitive"):
                secret.append(option)
        index[kebab(name)] = (options, booleans, secret)
    return index


def _cache_entry(path: str) -> str:
    from awsprof.files.paths import cache_dir
    from awsprof.hashing import sha1_hex

    digest = sha1_hex(os.fsencode(os.path.realpath(path)))
    return os.path.join(cache_dir(os.environ), f"options-{digest}.marshal")


def _identity(stat: os.stat_result) -> list[int]:
    return [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns]


def _cached(path: str, stat: os.stat_result) -> Index | None:
    import marshal

    try:
        with open(_cache_entry(path), "rb") as handle:
            version, identity, index = marshal.loads(handle.read())  # noqa: S302
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if version != _FORMAT or identity != _identity(stat) or not isinstance(index, dict):
        return None
    return index


def _store(path: str, stat: os.stat_result, index: Index) -> None:
    import contextlib
    import marshal
    import tempfile

    entry = _cache_entry(path)
    with contextlib.suppress(OSError):
        os.makedirs(os.path.dirname(entry), mode=0o700, exist_ok=True)
        fd, temporary = tempfile.mkstemp(
            prefix=".options-", suffix=".tmp", dir=os.path.dirname(entry)
        )
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(marshal.dumps((_FORMAT, _identity(stat), index)))
            os.replace(temporary, entry)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _valid_name(service: str) -> bool:
    return service[:1] in _NAME_START and all(char in _NAME_CHARS for char in service)


def _service_index(service: str) -> Index | None:
    if service in _loaded:
        return _loaded[service]
    index: Index | None = None
    # A service name is a directory name under botocore's data: nothing else may reach the disk.
    valid = _valid_name(service)
    path = _model_file(CLI_TO_BOTOCORE.get(service, service)) if valid else None
    if path is not None:
        try:
            stat = os.stat(path)
            index = _cached(path, stat)
            if index is None:
                index = _read_model(path)
                _store(path, stat, index)
        except (OSError, ValueError, AttributeError, TypeError):
            index = None  # an unreadable model: the caller falls back to its own tables
    _loaded[service] = index
    return index


class OperationOptions:
    """The options of one operation, as the CLI's parser for it knows them."""

    __slots__ = ("booleans", "options", "secret")

    def __init__(self, options: list[str], booleans: list[str], secret: list[str]) -> None:
        self.options = frozenset(options)
        self.booleans = frozenset(booleans)
        self.secret = frozenset(secret)


def operation_options(service: str, operation: str) -> OperationOptions | None:
    """The options of `aws SERVICE OPERATION`, or None when botocore's models do not know it."""
    index = _service_index(service.lower())
    entry = index.get(operation.lower()) if index else None
    if entry is None:
        return None
    return OperationOptions(*entry)
