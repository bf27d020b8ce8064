"""The world the sandbox emulates: accounts, people, permission sets, buckets and profiles.

One place holds every name and number of the journey (docs/sandbox.md), so the
seeding of moto, the Identity Center emulator, the written AWS home, the tests and the docs agree.
The SSO role suffix is derived from the account and permission set, so role ARNs stay the same
across restarts (handy in docs and tests) while still looking like the real 16-hex suffix.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

PARTITION = "aws"
REGION = "us-east-1"

SSO_SESSION = "my-org"
SSO_START_URL = "https://my-org.awsapps.com/start"
SSO_REGION = "us-east-1"
SSO_SCOPES = "sso:account:access"
SSO_USER = "alice"
SSO_USER_EMAIL = "alice@my-org.example"

# The name of the `[services NAME]` section every sandbox profile points at.
SERVICES_SECTION = "sandbox"
# The guard's mark for a protected profile (the AWS CLI ignores unknown keys).
PROTECTED_KEY = "awsprof_protected"

IAM_USER = "alice"
ADMIN_POLICY_NAME = "SandboxAdministrator"
ORG_ROLE = "OrganizationAccountAccessRole"
SSO_ROLE_PATH = "/aws-reserved/sso.amazonaws.com/"


@dataclass(frozen=True)
class Account:
    account_id: str
    alias: str
    name: str
    email: str


SANDBOX = Account("111122223333", "sandbox", "Sandbox", "aws-sandbox@my-org.example")
DEV = Account("222233334444", "dev", "Development", "aws-dev@my-org.example")
STAGING = Account("333344445555", "staging", "Staging", "aws-staging@my-org.example")
SECURITY = Account("444455556666", "security", "Security Audit", "aws-security@my-org.example")
WORK = Account("555566667777", "work", "Workloads", "aws-work@my-org.example")
PROD = Account("888899990000", "prod", "Production", "aws-prod@my-org.example")
# The organisation's management account: home of the Identity Center service identity that
# assumes the AWSReservedSSO roles on the user's behalf. Never assigned to the user.
MANAGEMENT = Account("999988887777", "my-org-management", "Management", "aws-root@my-org.example")

ACCOUNTS: tuple[Account, ...] = (SANDBOX, DEV, STAGING, SECURITY, WORK, PROD, MANAGEMENT)


def account_by_id(account_id: str) -> Account | None:
    return next((a for a in ACCOUNTS if a.account_id == account_id), None)


def _statement(effect: str, key: str, actions: list[str] | str) -> dict[str, object]:
    return {"Effect": effect, key: actions, "Resource": "*"}


def policy_document(*statements: dict[str, object]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


ADMINISTRATOR_POLICY = policy_document(_statement("Allow", "Action", "*"))
# Like the AWS-managed policies of the same names, reduced to what moto evaluates.
POWER_USER_POLICY = policy_document(
    _statement("Allow", "NotAction", ["iam:*", "organizations:*", "account:*"]),
    _statement("Allow", "Action", ["iam:ListAccountAliases", "iam:GetRole", "iam:ListRoles"]),
)
READ_ONLY_POLICY = policy_document(
    _statement("Allow", "Action", ["*:Get*", "*:List*", "*:Describe*", "s3:HeadBucket"]),
)

PERMISSION_SET_POLICIES: dict[str, str] = {
    "AdministratorAccess": ADMINISTRATOR_POLICY,
    "PowerUserAccess": POWER_USER_POLICY,
    "ReadOnlyAccess": READ_ONLY_POLICY,
}

# Which permission sets the Identity Center user is assigned in which account.
ASSIGNMENTS: dict[str, tuple[str, ...]] = {
    SANDBOX.account_id: ("AdministratorAccess",),
    DEV.account_id: ("ReadOnlyAccess", "PowerUserAccess"),
    STAGING.account_id: ("ReadOnlyAccess",),
    SECURITY.account_id: ("ReadOnlyAccess",),
    WORK.account_id: ("PowerUserAccess", "ReadOnlyAccess"),
    PROD.account_id: ("ReadOnlyAccess",),
}

# A few buckets per account, each with one object (so `s3 ls` has output and `s3 rb` has a target).
BUCKETS: dict[str, tuple[str, ...]] = {
    SANDBOX.account_id: ("sandbox-assets-111122223333", "sandbox-logs-111122223333"),
    DEV.account_id: ("dev-app-222233334444", "dev-scratch-222233334444"),
    STAGING.account_id: ("staging-app-333344445555",),
    WORK.account_id: ("work-artifacts-555566667777",),
    PROD.account_id: ("prod-data-888899990000", "prod-backups-888899990000"),
}


def sso_role_name(account_id: str, permission_set: str) -> str:
    """`AWSReservedSSO_<PermissionSet>_<16 hex>`, stable for an account and permission set."""
    digest = hashlib.sha256(f"{account_id}/{permission_set}".encode()).hexdigest()[:16]
    return f"AWSReservedSSO_{permission_set}_{digest}"


def sso_role_arn(account_id: str, permission_set: str) -> str:
    name = sso_role_name(account_id, permission_set)
    return f"arn:{PARTITION}:iam::{account_id}:role{SSO_ROLE_PATH}{name}"


def org_role_arn(account: Account = PROD) -> str:
    return f"arn:{PARTITION}:iam::{account.account_id}:role/{ORG_ROLE}"


@dataclass(frozen=True)
class ProfileSpec:
    """One profile of the written AWS home; `kind` is static, sso or role."""

    name: str
    kind: str
    account: Account
    protected: bool = False
    sso_role: str | None = None
    source_profile: str | None = None


PROFILES: tuple[ProfileSpec, ...] = (
    ProfileSpec("default", "static", SANDBOX),
    ProfileSpec("dev", "static", DEV),
    ProfileSpec("work", "sso", WORK, sso_role="PowerUserAccess"),
    ProfileSpec("prod", "role", PROD, protected=True, source_profile="work"),
)

STATIC_ACCOUNTS: tuple[Account, ...] = tuple(p.account for p in PROFILES if p.kind == "static")


def synthetic_account(index: int) -> Account:
    """Extra accounts that exist only in the portal listing (for populate benchmarks)."""
    number = 700000000000 + index
    return Account(
        f"{number:012d}",
        f"synthetic-{index:05d}",
        f"Synthetic {index:05d}",
        f"aws-synthetic-{index:05d}@my-org.example",
    )


SYNTHETIC_PERMISSION_SETS: tuple[str, ...] = ("ReadOnlyAccess", "PowerUserAccess")
