"""``awsprof keys rotate``: replace a profile's access key without ever leaving it without one.

Order (each step only after the previous one succeeded):
1. create the new key (refused when the user already has two: IAM's limit);
2. prove it works: STS GetCallerIdentity with the new key, retried while IAM propagates it;
3. save it to the credentials file (one locked, atomic write);
4. deactivate the old key, then 5. delete it (both signed with the new key, which proves it again).

Until step 3 succeeds the file still holds the old key, which still works; if step 2 or 3 fails the
new key is deleted (with the old one) so nothing is left behind. After step 3 the profile holds the
new, proven key; a failure of 4 or 5 is reported with the command that finishes the job.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from awsprof.aws.clients import call
from awsprof.credentials import Credentials
from awsprof.errors import AwsprofError, ResolutionError, ServiceError
from awsprof.profiles.configure import Change, address, apply_changes

STEPS = ("create", "verify", "save", "deactivate", "delete")
PROPAGATION_DELAYS = (1.0, 2.0, 2.0, 3.0, 5.0, 5.0, 5.0, 5.0)  # about 30 s, as IAM can need


@dataclass(frozen=True)
class Rotation:
    profile: str
    user_name: str
    old_key_id: str
    new_key_id: str
    done: tuple[str, ...]  # the steps completed


@dataclass(frozen=True)
class _NewKey:
    access_key_id: str
    secret_access_key: str = field(repr=False)


def rotate(
    environ: Mapping[str, str],
    profile: str,
    *,
    before: Callable[[str], None] = lambda step: None,
    sleep: Callable[[float], None] = time.sleep,
    report: Callable[[str], None] = lambda message: None,
) -> Rotation:
    """Rotate ``profile``'s key; ``before(step)`` runs ahead of each step (tests inject faults)."""
    from awsprof.profiles.model import load_files
    from awsprof.resolution.chain import resolve_in_context

    files = load_files(environ)
    key_setting = files.require_profile(profile).settings.get("aws_access_key_id")
    if key_setting is None or key_setting.source.path != files.credentials_path:
        raise ResolutionError(
            f"profile '{profile}' does not use long-lived keys from the credentials file",
            "Only keys stored in the credentials file can be rotated (keys in the keychain: "
            "run `awsprof keys from-keychain` first).",
        )
    resolution, context = resolve_in_context(environ, profile, files=files)
    old = resolution.credentials
    if old.temporary or key_setting.value != old.access_key_id:
        raise ResolutionError(
            f"profile '{profile}' resolves to other credentials than its keys "
            "(a role or a credential_process wins): nothing to rotate"
        )
    iam = context.clients.client("iam", old)
    listed = call("ListAccessKeys", iam.list_access_keys)["AccessKeyMetadata"]
    user = listed[0]["UserName"] if listed else ""
    if len(listed) >= 2:
        others = ", ".join(
            k["AccessKeyId"] for k in listed if k["AccessKeyId"] != old.access_key_id
        )
        raise ServiceError(
            f"IAM user '{user}' already has two access keys, the most IAM allows; a rotation "
            "needs room for a new one",
            f"Delete the key not in use ({others}) after checking nothing needs it: "
            f"`aws iam delete-access-key --access-key-id KEY --profile {profile}`.",
        )
    done: list[str] = []

    before("create")
    created = call("CreateAccessKey", iam.create_access_key)["AccessKey"]
    new = _NewKey(created["AccessKeyId"], created["SecretAccessKey"])
    done.append("create")
    report(f"created access key {new.access_key_id} for IAM user '{user}'")
    new_credentials = Credentials(new.access_key_id, new.secret_access_key)
    try:
        before("verify")
        _prove(context.clients, new_credentials, sleep)
        done.append("verify")
        report("the new key works (STS GetCallerIdentity)")
        before("save")
        apply_changes(
            environ,
            [
                Change(address("aws_access_key_id", profile), new.access_key_id),
                Change(address("aws_secret_access_key", profile), new.secret_access_key),
            ],
        )
        done.append("save")
        report(f"saved it to {context.files.credentials_path} (profile '{profile}')")
    except BaseException:
        _undo_create(iam, new.access_key_id, report)
        raise
    new_iam = context.clients.client("iam", new_credentials)
    for step, status in (("deactivate", "Inactive"), ("delete", None)):
        try:
            before(step)
            if status is not None:
                call(
                    "UpdateAccessKey",
                    new_iam.update_access_key,
                    AccessKeyId=old.access_key_id,
                    Status=status,
                )
            else:
                call("DeleteAccessKey", new_iam.delete_access_key, AccessKeyId=old.access_key_id)
        except AwsprofError as error:
            raise ServiceError(
                f"the new key is saved and works, but the old key {old.access_key_id} could not "
                f"be {step}d: {error.message}",
                f"Finish by hand: `aws iam delete-access-key --access-key-id {old.access_key_id} "
                f"--profile {profile}`.",
            ) from None
        done.append(step)
        report(f"{step}d the old key {old.access_key_id}")
    return Rotation(profile, user, old.access_key_id, new.access_key_id, tuple(done))


def _prove(clients: Any, credentials: Credentials, sleep: Callable[[float], None]) -> None:
    sts = clients.client("sts", credentials)
    for delay in (*PROPAGATION_DELAYS, None):
        try:
            call("GetCallerIdentity", sts.get_caller_identity)
            return
        except AwsprofError:
            if delay is None:
                raise
            sleep(delay)


def _undo_create(iam: Any, key_id: str, report: Callable[[str], None]) -> None:
    try:
        call("DeleteAccessKey", iam.delete_access_key, AccessKeyId=key_id)
        report(f"deleted the new key {key_id} again; the profile keeps its old, working key")
    except AwsprofError as error:
        report(
            f"could not delete the new key {key_id} ({error.message}); delete it with "
            f"`aws iam delete-access-key --access-key-id {key_id}`"
        )
