"""``sso populate``: a profile for every account and role a person can reach, kept in sync.

Built to stay linear at organisation scale (aws-sso-util takes about 95 minutes for 5,000 accounts
because it re-reads and rewrites the whole file for each profile):

- the portal is asked concurrently (a thread pool; botocore clients and their HTTP sessions are
  thread-safe), with exponential backoff and jitter on ``TooManyRequestsException`` (HTTP 429),
  through :mod:`awsprof.sso.portal` (botocore's endpoint and transport without its per-call
  pipeline, which was most of a run's time);
- the config file is read and parsed once, the new text is built in one pass (edits from the
  bottom up, then one block of new sections appended) and written once, atomically, under the
  file's lock, after the previous file is kept as ``config.bak``. Nothing is written before every
  portal answer is in, so a run killed at any point leaves the old file (or the new one) whole,
  and running again gives what one uninterrupted run gives.

A sync, but only of what it generated: profiles it writes carry ``awsprof_generated = SESSION
HASH`` (the AWS CLI ignores unknown keys), where HASH is a fingerprint of the keys it wrote. Only
such profiles are ever changed, renamed or (``--prune``) removed; one whose keys no longer match
its fingerprint was edited by hand and is reported instead, unless ``force``. A hand-written
profile is never touched, and an account and role it already covers gets no second profile.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from awsprof.errors import LoginRequiredError, ServiceError, UsageError
from awsprof.files.document import IniDocument, check_key, check_text
from awsprof.files.sections import Kind, config_header, config_header_meaning

GENERATED_KEY = "awsprof_generated"
ACCOUNT_NAME_KEY = "awsprof_account_name"
DEFAULT_TEMPLATE = "{account_name}-{role_name}"
TEMPLATE_FIELDS = ("account_name", "account_id", "role_name", "sso_session", "email", "session")
WORKERS = 10  # botocore's default connection pool size
MAX_ATTEMPTS = 12
MAX_DELAY = 5.0  # seconds between two attempts, at most
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Assignment:
    """One account and role the person can reach."""

    account_id: str
    account_name: str
    email: str
    role_name: str


# -- fetching -------------------------------------------------------------------------------


def backoff(attempt: int) -> float:
    """Exponential backoff with "equal jitter": half the delay fixed, half random, so throttled
    workers spread out instead of retrying together."""
    delay: float = min(MAX_DELAY, 0.05 * 2.0**attempt)
    return delay / 2 + random.random() * delay / 2  # noqa: S311 - spreading, not secrecy


def _with_backoff(
    function: Callable[..., dict[str, Any]], sleep: Callable[[float], None], **kwargs: Any
) -> dict[str, Any]:
    from botocore.exceptions import BotoCoreError, ClientError

    for attempt in range(MAX_ATTEMPTS):
        try:
            return function(**kwargs)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "Unknown")
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
            again = code == "TooManyRequestsException" or status == 429 or status >= 500
            if again and attempt + 1 < MAX_ATTEMPTS:
                sleep(backoff(attempt))
                continue
            if code in ("UnauthorizedException", "ExpiredTokenException"):
                raise LoginRequiredError(f"the portal refused the SSO token ({code})") from None
            raise ServiceError(f"the IAM Identity Center portal failed: {code}") from None
        except BotoCoreError as error:
            raise ServiceError(f"the IAM Identity Center portal failed: {error}") from None
    raise ServiceError("the IAM Identity Center portal kept throttling")  # pragma: no cover


def _pages(
    function: Callable[..., dict[str, Any]],
    key: str,
    sleep: Callable[[float], None],
    **kwargs: Any,
) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    next_token: str | None = None
    while True:
        extra = {"nextToken": next_token} if next_token else {}
        answer = _with_backoff(function, sleep, maxResults=100, **kwargs, **extra)
        items.extend(answer.get(key) or [])
        next_token = answer.get("nextToken")
        if not next_token:
            return items


def fetch_assignments(
    portal: Any,
    access_token: str,
    progress: Progress = lambda done, total: None,
    sleep: Callable[[float], None] = time.sleep,
    workers: int = WORKERS,
) -> list[Assignment]:
    """Every account (paged) and, concurrently, every role of each; sorted by name."""
    accounts = _pages(portal.list_accounts, "accountList", sleep, accessToken=access_token)
    total = len(accounts)
    progress(0, total)

    def roles_of(account: dict[str, Any]) -> list[Assignment]:
        roles = _pages(
            portal.list_account_roles,
            "roleList",
            sleep,
            accessToken=access_token,
            accountId=account["accountId"],
        )
        return [
            Assignment(
                account["accountId"],
                account.get("accountName") or account["accountId"],
                account.get("emailAddress") or "",
                role["roleName"],
            )
            for role in roles
        ]

    result: list[Assignment] = []
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="awsprof-populate") as pool:
        for done, found in enumerate(pool.map(roles_of, accounts), start=1):
            result.extend(found)
            if done % 25 == 0 or done == total:
                progress(done, total)
    result.sort(key=lambda a: (a.account_name.lower(), a.account_id, a.role_name))
    return result


# -- naming ---------------------------------------------------------------------------------


_SPACES = re.compile(r"\s+")
_UNSAFE = re.compile(r"[^a-z0-9._-]+")
_DASHES = re.compile(r"-{2,}")
# Controls that would break the line or drive a terminal (C0, DEL, C1, direction overrides).
_CONTROL = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def check_template(template: str) -> None:
    import string

    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    except ValueError as error:
        raise UsageError(f"--name is not a valid template: {error}") from None
    unknown = sorted(names - set(TEMPLATE_FIELDS))
    if unknown:
        raise UsageError(
            f"--name uses unknown field(s) {', '.join(unknown)}",
            f"Use any of {', '.join('{' + f + '}' for f in TEMPLATE_FIELDS[:4])}.",
        )


def normalise(name: str) -> str:
    """A profile name anyone can type: lower case, spaces become ``-``, any other character
    outside ``[a-z0-9._-]`` too, and runs of ``-`` one."""
    name = _UNSAFE.sub("-", _SPACES.sub("-", name.lower()))
    return _DASHES.sub("-", name).strip("-.") or "profile"


def profile_name(template: str, assignment: Assignment, session: str) -> str:
    return normalise(
        template.format(
            account_name=assignment.account_name,
            account_id=assignment.account_id,
            role_name=assignment.role_name,
            sso_session=session,
            email=assignment.email,
            session=session,
        )
    )


def unique(candidate: str, account_id: str, taken: set[str]) -> str:
    """``candidate``, or (taken) ``candidate-ACCOUNT_ID``: two accounts never share a name."""
    if candidate not in taken:
        return candidate
    with_id = f"{candidate}-{account_id}"
    name, number = with_id, 2
    while name in taken:
        name, number = f"{with_id}-{number}", number + 1
    return name


# -- the generated marker --------------------------------------------------------------------

_FINGERPRINT = re.compile(r"[0-9a-f]{12}")


def fingerprint(keys: dict[str, str]) -> str:
    """A short hash of a generated profile's keys (the marker itself excluded)."""
    import hashlib

    text = "\n".join(f"{k}={keys[k]}" for k in sorted(keys) if k != GENERATED_KEY)
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:12]


def marker(session: str, keys: dict[str, str]) -> str:
    return f"{session} {fingerprint(keys)}"


def read_marker(value: str) -> tuple[str, str | None]:
    """(session, fingerprint) of a marker; older markers hold the session only."""
    session, _, last = value.rpartition(" ")
    if session and _FINGERPRINT.fullmatch(last):
        return session, last
    return value, None


# -- planning -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PopulateRequest:
    session: str
    template: str = DEFAULT_TEMPLATE
    region: str | None = None
    prune: bool = False
    extra: tuple[tuple[str, str], ...] = ()  # more keys for every generated profile
    dry_run: bool = False
    force: bool = False  # overwrite (or prune) generated profiles edited by hand


@dataclass(frozen=True)
class Change:
    """One generated profile that changes: ``old`` is its current name when it is renamed."""

    name: str
    keys: tuple[str, ...]
    old: str | None = None


@dataclass(frozen=True)
class PopulateResult:
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    stale: tuple[str, ...] = ()  # generated, gone from the portal, kept (no --prune)
    covered: tuple[str, ...] = ()  # hand-written profiles that already give an assignment
    edited: tuple[str, ...] = ()  # generated, edited by hand since: reported, not overwritten
    written: bool = False
    assignments: int = field(default=0)
    changes: tuple[Change, ...] = ()

    def merged(self, other: PopulateResult) -> PopulateResult:
        return PopulateResult(
            added=self.added + other.added,
            updated=self.updated + other.updated,
            removed=self.removed + other.removed,
            stale=self.stale + other.stale,
            covered=self.covered + other.covered,
            edited=self.edited + other.edited,
            written=self.written or other.written,
            assignments=self.assignments + other.assignments,
            changes=self.changes + other.changes,
        )

    def diff_lines(self) -> list[str]:
        """The diff a person reads (and ``--dry-run`` prints): one line per profile."""
        lines = [f"+ {name}" for name in self.added]
        for change in self.changes:
            renamed = f"{change.old} -> " if change.old else ""
            what = f" ({', '.join(change.keys)})" if change.keys else ""
            lines.append(f"~ {renamed}{change.name}{what}")
        lines += [f"- {name}" for name in self.removed]
        lines += [f"! {name} (edited by hand: kept; --force overwrites it)" for name in self.edited]
        return lines


@dataclass
class _Existing:
    name: str
    line: int
    last_line: int
    values: dict[str, str]  # its own keys (not [DEFAULT]'s), raw
    options: dict[str, tuple[int, int]]  # key -> (first line, last line)
    session: str | None = None  # the session that generated it
    stamp: str | None = None  # the fingerprint it was generated with

    @property
    def edited(self) -> bool:
        return self.stamp is not None and fingerprint(self.values) != self.stamp


def _profiles(document: IniDocument) -> list[_Existing]:
    parsed = document.parsed()
    found = []
    for section in parsed.sections:
        kind, name = config_header_meaning(section.name)
        if kind is not Kind.PROFILE:
            continue
        options = section.options
        values = {k: o.raw for k, o in options.items()}
        last = max((o.last_line for o in options.values()), default=section.line)
        profile = _Existing(
            name,
            section.line,
            last,
            values,
            {k: (o.line, o.last_line) for k, o in options.items()},
        )
        if GENERATED_KEY in values:
            profile.session, profile.stamp = read_marker(values[GENERATED_KEY])
        found.append(profile)
    return found


def desired_keys(request: PopulateRequest, assignment: Assignment, region: str) -> dict[str, str]:
    keys = {
        "sso_session": request.session,
        "sso_account_id": assignment.account_id,
        "sso_role_name": assignment.role_name,
        "region": request.region or region,
        ACCOUNT_NAME_KEY: _CONTROL.sub(" ", assignment.account_name).strip(),
    }
    for key, value in request.extra:
        keys[key.lower()] = value
    keys[GENERATED_KEY] = marker(request.session, keys)
    return keys


def _rewrite(lines_of: list[str], profile: _Existing, name: str, keys: dict[str, str]) -> list[str]:
    """The new lines of ``profile``'s block: its header and changed keys rewritten in place,
    keys it no longer has dropped, new ones after its last key; comments stay where they are."""

    first, last = profile.line, profile.last_line
    drop: dict[int, str] = {}
    for key, (start, end) in profile.options.items():
        for number in range(start, end + 1):
            drop[number] = key
    lines = [f"[{config_header(Kind.PROFILE, name)}]"]
    done: set[str] = set()
    for number in range(first + 1, last + 1):
        owner = drop.get(number)
        if owner is None:
            lines.append(lines_of[number - 1])
        elif owner in keys and owner not in done and number == profile.options[owner][0]:
            done.add(owner)
            same = profile.values.get(owner) == keys[owner]
            lines.append(lines_of[number - 1] if same else f"{owner} = {keys[owner]}")
    lines += [f"{key} = {value}" for key, value in keys.items() if key not in done]
    return lines


def build(
    document: IniDocument,
    assignments: Iterable[Assignment],
    request: PopulateRequest,
    region: str,
    other_names: Iterable[str] = (),
) -> PopulateResult:
    """Edit ``document`` in one pass; returns what changed (the caller writes it once)."""

    for key, value in request.extra:
        check_key(key)
        check_text("value", value)
    existing = _profiles(document)
    generated: dict[tuple[str, str], _Existing] = {}
    covered: dict[tuple[str, str], str] = {}
    taken = set(other_names) | {"default"}
    for profile in existing:
        pair = (profile.values.get("sso_account_id", ""), profile.values.get("sso_role_name", ""))
        if profile.session == request.session and pair not in generated:
            generated[pair] = profile
            if profile.edited and not request.force:
                taken.add(profile.name)  # kept as it is, under its name
            continue
        taken.add(profile.name)
        if profile.session is None and profile.values.get("sso_session") == request.session:
            covered.setdefault(pair, profile.name)
    plan: list[tuple[Assignment, dict[str, str]]] = []
    for assignment in assignments:
        pair = (assignment.account_id, assignment.role_name)
        if pair in covered and pair not in generated:
            continue
        plan.append((assignment, desired_keys(request, assignment, region)))
    # Names: a generated profile keeps its name while the template still gives it (so a new
    # account that sorts first never takes a name away); the others take the next free one.
    names: dict[tuple[str, str], str] = {}
    candidates = {}
    for assignment, _ in plan:
        pair = (assignment.account_id, assignment.role_name)
        candidate = profile_name(request.template, assignment, request.session)
        candidates[pair] = candidate
        current = generated.get(pair)
        if current is None or (current.edited and not request.force):
            continue
        if current.name in (candidate, f"{candidate}-{pair[0]}") and current.name not in taken:
            names[pair] = current.name
            taken.add(current.name)
    for assignment, _ in plan:
        pair = (assignment.account_id, assignment.role_name)
        current = generated.get(pair)
        if pair not in names and not (current and current.edited and not request.force):
            names[pair] = unique(candidates[pair], pair[0], taken)
            taken.add(names[pair])

    added: list[tuple[str, dict[str, str]]] = []
    changes: list[Change] = []
    edited: list[str] = []
    blocks: list[tuple[int, int, list[str]]] = []  # (first line, last line, new lines)
    wanted: set[tuple[str, str]] = set()
    used_covered = []
    count = 0
    for assignment in assignments:
        count += 1
        pair = (assignment.account_id, assignment.role_name)
        wanted.add(pair)
        if pair in covered and pair not in generated:
            used_covered.append(covered[pair])
    for assignment, keys in plan:
        pair = (assignment.account_id, assignment.role_name)
        current = generated.get(pair)
        if current is None:
            added.append((names[pair], keys))
            continue
        if current.edited and not request.force:
            if fingerprint(keys) != current.stamp:
                edited.append(current.name)  # the portal changed too: say what is not done
            continue
        name = names[pair]
        changed = tuple(k for k, v in keys.items() if current.values.get(k) != v)
        dropped = tuple(k for k in current.values if k not in keys)
        if name == current.name and not changed and not dropped:
            continue
        shown = tuple(k for k in changed + dropped if k != GENERATED_KEY)
        changes.append(Change(name, shown, current.name if name != current.name else None))
        blocks.append(
            (current.line, current.last_line, _rewrite(document.lines, current, name, keys))
        )
    gone = sorted((p for pair, p in generated.items() if pair not in wanted), key=lambda p: p.line)
    removed: list[str] = []
    stale: list[str] = []
    for profile in gone:
        if not request.prune:
            stale.append(profile.name)
        elif profile.edited and not request.force:
            edited.append(profile.name)
        else:
            removed.append(profile.name)
            start, end = profile.line, profile.last_line
            after = document.lines[end] if end < len(document.lines) else ""
            if start > 1 and not document.lines[start - 2].strip() and not after.strip():
                start -= 1  # one blank separator goes with it; what follows keeps its own
            blocks.append((start, end, []))
    for start, end, lines in sorted(blocks, reverse=True):  # bottom up: lines stay valid
        document.replace_lines(start, end, lines)
    new_lines: list[str] = []
    for name, keys in added:
        new_lines += ["", f"[{config_header(Kind.PROFILE, name)}]"]
        new_lines += [f"{key} = {value}" for key, value in keys.items()]
    if new_lines:
        if not document.lines:
            new_lines = new_lines[1:]
        document.append_lines(new_lines)
    return PopulateResult(
        added=tuple(name for name, _ in added),
        updated=tuple(change.name for change in changes),
        removed=tuple(removed),
        stale=tuple(stale),
        covered=tuple(used_covered),
        edited=tuple(edited),
        written=bool(blocks or added),
        assignments=count,
        changes=tuple(changes),
    )


# -- writing --------------------------------------------------------------------------------

BACKUP_SUFFIX = ".bak"

Plan = tuple[PopulateRequest, list[Assignment], str]  # request, assignments, session region


def write(
    config_path: Path,
    plans: list[Plan],
    other_names: Iterable[str],
    dry_run: bool = False,
    environ: Mapping[str, str] | None = None,
) -> PopulateResult:
    """Read, build (every session in turn) and write the config file once, under its lock.

    Before the new file replaces the old one, the old one is kept next to it as ``config.bak``
    (0600). The whole new text exists before the one atomic replace, so an interruption leaves
    the old file or the new one, never a mix.
    """
    from awsprof.files.atomic import locked, write_atomic

    result = PopulateResult()
    with locked(config_path) as target:
        try:
            data: bytes | None = target.read_bytes()
        except FileNotFoundError:
            data = None
        document = IniDocument.from_bytes(config_path, data)
        document.check_writable()
        for request, assignments, region in plans:
            result = result.merged(build(document, assignments, request, region, other_names))
        if result.written and not dry_run:
            new = document.to_bytes()
            if new == (data or b""):
                return result
            if data is not None:
                backup = target.with_name(target.name + BACKUP_SUFFIX)
                write_atomic(backup, data, 0o600)
                backup.chmod(0o600)  # an older backup may have had another mode
            write_atomic(target, new)
            if environ is not None:
                from awsprof.profiles.model import remember_written

                if remember_written(config_path, new, environ, True):
                    _warm(environ)
    return result


def _warm(environ: Mapping[str, str]) -> None:
    """Read what ``sso sessions`` reads of every profile of the plain file just written, so that
    it is kept (with the new text's digest) for its next run: otherwise the first run after a
    populate of 100,000 profiles reads them from the whole text. Best effort: populate has done
    its work."""
    from awsprof.errors import AwsprofError
    from awsprof.profiles.model import load_files
    from awsprof.sso.session import SESSION_KEYS

    try:
        load_files(environ).keep_texts(SESSION_KEYS)
    except (AwsprofError, OSError):
        return
