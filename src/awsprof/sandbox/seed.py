"""Seeding moto with the journey's accounts, then switching on its signature and policy checks.

Each account is created through the API with moto's account header (moto has no account API);
afterwards every access key and AssumeRole session belongs to the account it was made in, so plain
credentials land in the right account without the header. Enforcement is switched on last, and the
seeding checks that it bites: a wrong secret must be refused, as it would be on AWS.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from awsprof.errors import SandboxError
from awsprof.sandbox import accounts as world
from awsprof.sandbox.clients import SEEDING_KEYS, Keys, isolated_session, moto_client
from awsprof.sandbox.motoserver import MotoServer

IDENTITY_CENTER_USER = "identity-center-service"


@dataclass(frozen=True)
class Seeded:
    """What the seeding created that callers need: the keys of each static-key account's user and
    the service identity the Identity Center emulator uses to assume the SSO roles."""

    static_keys: dict[str, Keys]
    identity_center_keys: Keys


def _trust(*account_ids: str) -> str:
    principals = [f"arn:{world.PARTITION}:iam::{a}:root" for a in account_ids]
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": principals}, "Action": "sts:AssumeRole"}
            ],
        }
    )


def _seed_account(session: Any, endpoint: str, account: world.Account) -> Keys | None:
    """Alias, buckets, SSO roles and (for static-key accounts) the IAM user with its key."""
    account_id = account.account_id
    iam = moto_client(session, "iam", endpoint, SEEDING_KEYS, account_id)
    s3 = moto_client(session, "s3", endpoint, SEEDING_KEYS, account_id)
    iam.create_account_alias(AccountAlias=account.alias)
    for bucket in world.BUCKETS.get(account_id, ()):
        s3.create_bucket(Bucket=bucket)
        s3.put_object(
            Bucket=bucket, Key="README.txt", Body=f"{bucket} in {account.name}\n".encode()
        )
    for permission_set in world.ASSIGNMENTS.get(account_id, ()):
        role = world.sso_role_name(account_id, permission_set)
        iam.create_role(
            RoleName=role,
            Path=world.SSO_ROLE_PATH,
            AssumeRolePolicyDocument=_trust(world.MANAGEMENT.account_id),
            Description=f"Identity Center permission set {permission_set}",
            # A permission set's session may last up to 12 hours.
            MaxSessionDuration=43200,
        )
        iam.put_role_policy(
            RoleName=role,
            PolicyName=permission_set,
            PolicyDocument=world.PERMISSION_SET_POLICIES[permission_set],
        )
    if account == world.PROD:
        iam.create_role(
            RoleName=world.ORG_ROLE,
            AssumeRolePolicyDocument=_trust(world.WORK.account_id, world.MANAGEMENT.account_id),
        )
        iam.put_role_policy(
            RoleName=world.ORG_ROLE,
            PolicyName=world.ADMIN_POLICY_NAME,
            PolicyDocument=world.ADMINISTRATOR_POLICY,
        )
    if account == world.MANAGEMENT:
        return _create_user(iam, IDENTITY_CENTER_USER, _assume_sso_roles_policy())
    if account in world.STATIC_ACCOUNTS:
        return _create_user(iam, world.IAM_USER, world.ADMINISTRATOR_POLICY)
    return None


def provision_sso_role(account_id: str, permission_set: str) -> None:
    """Create a permission set's role in an account that was not seeded (the portal's synthetic
    accounts), as Identity Center provisions it on assignment: AssumeRole of a missing role is
    refused. In moto's state directly: the servers run in this process."""
    from moto.iam.models import iam_backends

    backend = iam_backends[account_id][world.PARTITION]
    name = world.sso_role_name(account_id, permission_set)
    if any(role.name == name for role in backend.get_roles()):
        return
    backend.create_role(
        name,
        _trust(world.MANAGEMENT.account_id),
        world.SSO_ROLE_PATH,
        None,
        f"Identity Center permission set {permission_set}",
        [],
        "43200",
    )
    policy = world.PERMISSION_SET_POLICIES.get(permission_set)
    if policy is not None:
        backend.put_role_policy(name, permission_set, policy)


def _assume_sso_roles_policy() -> str:
    resource = f"arn:{world.PARTITION}:iam::*:role{world.SSO_ROLE_PATH}*"
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": resource}],
        }
    )


def _create_user(iam: Any, name: str, policy: str) -> Keys:
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName=world.ADMIN_POLICY_NAME, PolicyDocument=policy)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return Keys(key["AccessKeyId"], key["SecretAccessKey"])


def seed(moto: MotoServer, progress: Callable[[str], None] = lambda _: None) -> Seeded:
    """Create the journey's accounts in a fresh moto, then enforce authentication and check it."""
    session = isolated_session()
    # moto's state is global to the process: start from nothing, with checks off while seeding.
    moto.set_auth_enforcement(False)
    moto.reset()
    progress("seeding accounts")
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = dict(
            zip(
                world.ACCOUNTS,
                pool.map(lambda a: _seed_account(session, moto.url, a), world.ACCOUNTS),
                strict=True,
            )
        )
    static_keys = {a.account_id: k for a, k in results.items() if k and a != world.MANAGEMENT}
    service_keys = results[world.MANAGEMENT]
    assert service_keys is not None  # noqa: S101 - _seed_account always returns it for MANAGEMENT
    progress("switching on authentication")
    moto.set_auth_enforcement(True)
    verify_enforcement(session, moto.url, static_keys[world.DEV.account_id], world.DEV.account_id)
    return Seeded(static_keys=static_keys, identity_center_keys=service_keys)


def verify_enforcement(session: Any, endpoint: str, keys: Keys, account_id: str) -> None:
    """The right key must land in its account and a wrong secret must be refused."""
    from botocore.exceptions import ClientError

    sts = moto_client(session, "sts", endpoint, keys)
    found = sts.get_caller_identity()["Account"]
    if found != account_id:
        raise SandboxError(f"moto put a seeded key in account {found}, expected {account_id}")
    wrong = Keys(keys.access_key_id, keys.secret_access_key[:-4] + "XXXX")
    try:
        moto_client(session, "sts", endpoint, wrong).get_caller_identity()
    except ClientError as error:
        if error.response["Error"]["Code"] == "SignatureDoesNotMatch":
            return
        raise SandboxError(
            f"moto refused a wrong secret with an unexpected error: {error}"
        ) from error
    raise SandboxError("moto accepted a wrong secret: authentication is not enforced")
