"""botocore clients for the sandbox's own calls to moto, isolated from the person's AWS setup.

The sandbox seeds moto and fetches role credentials with explicit keys, region and endpoint. Its
botocore session reads no config or credentials file and no profile variable, so neither the real
``~/.aws`` nor an ``AWS_PROFILE`` in the environment can leak into (or break) the sandbox, and it
never goes through an HTTP proxy: every endpoint is on loopback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from awsprof.sandbox.accounts import REGION

ACCOUNT_HEADER = "x-moto-account-id"


@dataclass(frozen=True)
class Keys:
    access_key_id: str
    secret_access_key: str = field(repr=False)
    session_token: str | None = field(default=None, repr=False)


# Keys used while moto does not check signatures yet (seeding, before enforcement).
SEEDING_KEYS = Keys("AKIASANDBOXSEEDING00", "sandbox-seeding-secret-not-checked")


def isolated_session() -> Any:
    import botocore.session

    return botocore.session.Session(
        session_vars={
            "profile": (None, None, None, None),
            "config_file": (None, None, os.devnull, None),
            "credentials_file": (None, None, os.devnull, None),
        }
    )


def moto_client(
    session: Any, service: str, endpoint: str, keys: Keys, account_id: str | None = None
) -> Any:
    """A client for moto; with ``account_id`` every request carries moto's account header."""
    from botocore.config import Config

    client = session.create_client(
        service,
        region_name=REGION,
        endpoint_url=endpoint,
        aws_access_key_id=keys.access_key_id,
        aws_secret_access_key=keys.secret_access_key,
        aws_session_token=keys.session_token,
        config=Config(proxies={}, retries={"max_attempts": 2, "mode": "standard"}),
    )
    if account_id is not None:

        def add_account_header(request: Any, **_: Any) -> None:
            request.headers[ACCOUNT_HEADER] = account_id

        client.meta.events.register("before-send", add_account_header)
    return client
