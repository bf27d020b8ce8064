"""``sso populate``: a profile for every account and role a person can reach through a session.

Built to stay linear at organisation scale (aws-sso-util takes about 95 minutes for 5,000 accounts
because it re-reads and rewrites the whole file for each profile):

- the portal is asked concurrently (a thread pool; botocore clients are thread-safe), with
  exponential backoff and jitter on ``TooManyRequestsException``;
- the config file is read and parsed once, the new text is built in one pass (removals from the
  bottom up, then one block of new sections appended) and written once, atomically, under the
  file's lock.

Generated profiles carry ``awsprof_generated = SESSION`` and ``awsprof_account_name`` (the AWS CLI
ignores unknown keys), so ``--prune`` removes only generated profiles whose account or role is
gone and never touches a hand-written one. An account and role already covered by a hand-written
profile of the session gets no second profile.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from awsprof.errors import LoginRequiredError, ServiceError, UsageError
from awsprof.files.document import IniDocument, Target, check_key, check_text
from awsprof.files.sections import Kind, config_header, config_header_meaning

GENERATED_KEY = "awsprof_generated"
ACCOUNT_NAME_KEY = "awsprof_account_name"
DEFAULT_TEMPLATE = "{account_name}-{role_name}"
TEMPLATE_FIELDS = ("account_name", "account_id", "role_name", "email", "session")
WORKERS = 10  # botocore's default connection pool size
MAX_ATTEMPTS = 8
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Assignment:
    """One account and role the person can reach."""

    account_id: str
    account_name: str
    email: str
    role_name: str


# -- fetching -------------------------------------------------------------------------------


def _with_backoff(
    function: Callable[..., dict[str, Any]], sleep: Callable[[float], None], **kwargs: Any
) -> dict[str, Any]:
    from botocore.exceptions import BotoCoreError, ClientError

    for attempt in range(MAX_ATTEMPTS):
        try:
            return function(**kwargs)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "Unknown")
            if code == "TooManyRequestsException" and attempt + 1 < MAX_ATTEMPTS:
                sleep(min(5.0, 0.1 * 2**attempt) * (0.5 + random.random() / 2))  # noqa: S311
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


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# Controls that would break the line or drive a terminal (C0, DEL, C1, direction overrides).
_CONTROL = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def check_template(template: str) -> None:
    import string

    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    except ValueError as error:
        raise UsageError(f"--template is not a valid template: {error}") from None
    unknown = sorted(names - set(TEMPLATE_FIELDS))
    if unknown:
        raise UsageError(
            f"--template uses unknown field(s) {', '.join(unknown)}",
            f"Use any of {', '.join('{' + f + '}' for f in TEMPLATE_FIELDS)}.",
        )


def normalise(name: str) -> str:
    """A profile name anyone can type: runs of other characters become one ``-``."""
    return _UNSAFE.sub("-", name).strip("-.") or "profile"


def profile_name(template: str, assignment: Assignment, session: str) -> str:
    return normalise(
        template.format(
            account_name=assignment.account_name,
            account_id=assignment.account_id,
            role_name=assignment.role_name,
            email=assignment.email,
            session=session,
        )
    )


def unique(candidate: str, account_id: str, taken: set[str]) -> str:
    if candidate not in taken:
        return candidate
    with_id = f"{candidate}-{account_id}"
    name, number = with_id, 2
    while name in taken:
        name, number = f"{with_id}-{number}", number + 1
    return name


# -- planning and writing -------------------------------------------------------------------


@dataclass(frozen=True)
class PopulateRequest:
    session: str
    template: str = DEFAULT_TEMPLATE
    region: str | None = None
    prune: bool = False
    extra: tuple[tuple[str, str], ...] = ()  # more keys for every generated profile
    dry_run: bool = False


@dataclass(frozen=True)
class PopulateResult:
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    stale: tuple[str, ...] = ()  # generated, gone from the portal, kept (no --prune)
    covered: tuple[str, ...] = ()  # hand-written profiles that already give an assignment
    written: bool = False
    assignments: int = field(default=0)


@dataclass
class _Existing:
    name: str
    line: int
    last_line: int
    values: dict[str, str]


def _profiles(document: IniDocument) -> list[_Existing]:
    parsed = document.parsed()
    found = []
    for section in parsed.sections:
        kind, name = config_header_meaning(section.name)
        if kind is not Kind.PROFILE:
            continue
        values = {k: v for k, v in parsed.values(section).items() if isinstance(v, str)}
        last = max((o.last_line for o in section.options.values()), default=section.line)
        found.append(_Existing(name, section.line, last, values))
    return found


def desired_keys(request: PopulateRequest, assignment: Assignment, region: str) -> dict[str, str]:
    keys = {
        "sso_session": request.session,
        "sso_account_id": assignment.account_id,
        "sso_role_name": assignment.role_name,
        "region": request.region or region,
        ACCOUNT_NAME_KEY: _CONTROL.sub(" ", assignment.account_name).strip(),
        GENERATED_KEY: request.session,
    }
    for key, value in request.extra:
        keys[key.lower()] = value
    return keys


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
    for profile in existing:
        pair = (profile.values.get("sso_account_id", ""), profile.values.get("sso_role_name", ""))
        if profile.values.get(GENERATED_KEY) == request.session:
            generated[pair] = profile
        elif profile.values.get("sso_session") == request.session:
            covered.setdefault(pair, profile.name)
    taken = {p.name for p in existing} | set(other_names) | {"default"}
    added: list[tuple[str, dict[str, str]]] = []
    updates: list[tuple[str, dict[str, str]]] = []
    wanted: set[tuple[str, str]] = set()
    used_covered = []
    count = 0
    for assignment in assignments:
        count += 1
        pair = (assignment.account_id, assignment.role_name)
        wanted.add(pair)
        keys = desired_keys(request, assignment, region)
        if pair in generated:
            current = generated[pair]
            changed = {k: v for k, v in keys.items() if current.values.get(k) != v}
            if changed:
                updates.append((current.name, changed))
        elif pair in covered:
            used_covered.append(covered[pair])
        else:
            name = unique(
                profile_name(request.template, assignment, request.session), pair[0], taken
            )
            taken.add(name)
            added.append((name, keys))
    gone = sorted((p for pair, p in generated.items() if pair not in wanted), key=lambda p: p.line)
    if request.prune:
        for profile in reversed(gone):  # bottom up: earlier line numbers stay valid
            start, end = profile.line, profile.last_line
            after = document.lines[end] if end < len(document.lines) else ""
            if start > 1 and not document.lines[start - 2].strip() and not after.strip():
                start -= 1  # one blank separator goes with it; what follows keeps its own
            document.remove_lines(start, end)
    for name, changed in updates:
        for key, value in changed.items():
            document.set(Target(Kind.PROFILE, name), key, value)
    lines: list[str] = []
    for name, keys in added:
        lines += ["", f"[{config_header(Kind.PROFILE, name)}]"]
        lines += [f"{key} = {value}" for key, value in keys.items()]
    if lines:
        if not document.lines:
            lines = lines[1:]
        document.append_lines(lines)
    names = [p.name for p in gone]
    return PopulateResult(
        added=tuple(name for name, _ in added),
        updated=tuple(name for name, _ in updates),
        removed=tuple(names) if request.prune else (),
        stale=() if request.prune else tuple(names),
        covered=tuple(used_covered),
        written=bool(added or updates or (request.prune and gone)),
        assignments=count,
    )


def write(
    config_path: Path,
    assignments: list[Assignment],
    request: PopulateRequest,
    region: str,
    other_names: Iterable[str],
) -> PopulateResult:
    """Read, build and write the config file once, under its lock."""
    from awsprof.files.atomic import locked, write_atomic

    with locked(config_path) as target:
        try:
            data: bytes | None = target.read_bytes()
        except FileNotFoundError:
            data = None
        document = IniDocument.from_bytes(config_path, data)
        document.check_writable()
        result = build(document, assignments, request, region, other_names)
        if result.written and not request.dry_run:
            write_atomic(target, document.to_bytes())
    return result
