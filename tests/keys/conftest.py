"""A throwaway IAM user per test in the sandbox's dev account, with its own profile.

The seeded users' keys are shared by the whole session's tests, so rotation tests work on a fresh
user (admin inline policy, so moto's enforcement lets it manage its own keys)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field

import pytest

from fixtures_sandbox import Sandbox

ADMIN = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
)


@dataclass
class KeyUser:
    profile: str
    user_name: str
    access_key_id: str
    secret_access_key: str = field(repr=False)


def make_user(sandbox: Sandbox, profile: str = "rot") -> KeyUser:
    iam = sandbox.moto_client("iam", "dev")
    name = f"rotator-{uuid.uuid4().hex[:8]}"
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="admin", PolicyDocument=ADMIN)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    with sandbox.config_file.open("a") as config:
        config.write(
            f"\n[profile {profile}]\nregion = us-east-1\noutput = json\n"
            f"endpoint_url = {sandbox.moto_url}\n"
        )
    with sandbox.credentials_file.open("a") as credentials:
        credentials.write(
            f"\n[{profile}]\naws_access_key_id = {key['AccessKeyId']}\n"
            f"aws_secret_access_key = {key['SecretAccessKey']}\n"
        )
    return KeyUser(profile, name, key["AccessKeyId"], key["SecretAccessKey"])


@pytest.fixture
def key_user(sandbox: Sandbox) -> KeyUser:
    return make_user(sandbox)
