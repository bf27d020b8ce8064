"""Every operation of every service in botocore's models, classified as `aws SERVICE OPERATION`.

This is what catches gaps in the verb tables: a new service or a rare verb either lands in a table
or defaults to a write, and the properties below say which outcomes are never acceptable.
"""

from __future__ import annotations

import collections
from functools import cache

import botocore.session
from botocore import xform_name

from awsprof.guard.classify import Classification, Kind, classify

BOTOCORE_TO_CLI = {"s3": "s3api", "config": "configservice", "codedeploy": "deploy"}

# Operations named after these verbs always remove or end something.
MUST_BE_DESTRUCTIVE = ("Delete", "Terminate", "Remove", "Purge", "Deregister", "Revoke")
# Operations named after these verbs change something: never read-only.
NEVER_READ_ONLY = (
    *MUST_BE_DESTRUCTIVE,
    "Create",
    "Put",
    "Update",
    "Modify",
    "Set",
    "Add",
    "Start",
    "Run",
    "Stop",
    "Attach",
    "Detach",
    "Associate",
    "Disassociate",
    "Enable",
    "Disable",
    "Register",
    "Import",
    "Copy",
    "Restore",
    "Tag",
    "Untag",
    "Send",
    "Publish",
    "Invoke",
    "Execute",
    "Reboot",
    "Reset",
    "Cancel",
    "Release",
    "Rotate",
    "Write",
    "Upload",
    "Receive",
    "Test",
    "Verify",
    "Generate",
    "Export",
)


@cache
def all_operations() -> list[tuple[str, str, Classification]]:
    session = botocore.session.get_session()
    found = []
    for service in session.get_available_services():
        cli_service = BOTOCORE_TO_CLI.get(service, service)
        for name in session.get_service_model(service).operation_names:
            argv = [cli_service, xform_name(name, "-")]
            found.append((service, name, classify(argv)))
    return found


def starts_with_word(name: str, verbs: tuple[str, ...]) -> bool:
    """`DeleteBucket` starts with `Delete`; `Deletion…` or `Removed…` would not."""
    return any(
        name.startswith(verb) and (len(name) == len(verb) or name[len(verb)].isupper())
        for verb in verbs
    )


def test_there_are_many_operations() -> None:
    assert len(all_operations()) > 10_000


def test_deleting_verbs_are_destructive() -> None:
    wrong = [
        f"{service} {name}: {result.kind.value}"
        for service, name, result in all_operations()
        if starts_with_word(name, MUST_BE_DESTRUCTIVE) and result.kind is not Kind.DESTRUCTIVE
    ]
    assert wrong == []


def test_changing_verbs_are_never_read_only() -> None:
    from awsprof.guard.verbs import OPERATION_OVERRIDES

    # The overrides that make a changing verb read-only say why, one by one (kms encrypt, ...).
    allowed = {op for (_, op), (kind, _) in OPERATION_OVERRIDES.items() if kind is Kind.READ_ONLY}
    wrong = [
        f"{service} {name}"
        for service, name, result in all_operations()
        if starts_with_word(name, NEVER_READ_ONLY)
        and result.kind is Kind.READ_ONLY
        and result.operation not in allowed
    ]
    assert wrong == []


def test_every_operation_gets_a_reason_naming_it() -> None:
    for _, _, result in all_operations():
        assert result.operation is not None
        assert result.operation in result.reason


def test_unknown_verbs_are_writes_and_rare() -> None:
    unknown = collections.Counter(
        result.operation.split("-")[0]
        for _, _, result in all_operations()
        if not result.recognized and result.operation
    )
    for _, _, result in all_operations():
        if not result.recognized:
            assert result.kind is Kind.WRITE
    # Most operations are judged by a known verb; the rest default to a write.
    assert sum(unknown.values()) < 0.015 * len(all_operations()), unknown.most_common(20)


def test_counts() -> None:
    """Prints the spread (run with -s to see it)."""
    counts = collections.Counter(result.kind for _, _, result in all_operations())
    unknown = sum(1 for _, _, result in all_operations() if not result.recognized)
    print(
        f"\n{len(all_operations())} operations: "
        + ", ".join(f"{kind.value} {counts[kind]}" for kind in Kind)
        + f" (of the writes, {unknown} by default)"
    )
    assert sum(counts.values()) == len(all_operations())
