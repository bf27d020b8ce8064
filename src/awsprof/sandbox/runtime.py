"""Both servers in this process: moto seeded with the journey, and the Identity Center emulator
getting its role credentials from moto. Used by the background server process and by the tests.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from awsprof.errors import SandboxError
from awsprof.sandbox import accounts as world
from awsprof.sandbox.clients import Keys, isolated_session, moto_client
from awsprof.sandbox.identity_center import (
    IdentityCenterServer,
    RoleCredentials,
    start_identity_center,
)
from awsprof.sandbox.identity_center.model import ApiError
from awsprof.sandbox.motoserver import MotoServer, start_moto
from awsprof.sandbox.seed import Seeded, provision_sso_role, seed


@dataclass
class MotoCredentialSource:
    """Role credentials for the portal: AssumeRole of the SSO role as Identity Center's identity."""

    endpoint: str
    keys: Keys = field(repr=False)
    _session: Any = field(default_factory=isolated_session, repr=False)
    _sts: Any = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _client(self) -> Any:
        with self._lock:
            if self._sts is None:
                self._sts = moto_client(self._session, "sts", self.endpoint, self.keys)
            return self._sts

    def role_credentials(
        self, account_id: str, permission_set: str, user: str, seconds: int
    ) -> RoleCredentials:
        from botocore.exceptions import BotoCoreError, ClientError

        if world.account_by_id(account_id) is None:
            with self._lock:
                provision_sso_role(account_id, permission_set)
        try:
            answer = self._client().assume_role(
                RoleArn=world.sso_role_arn(account_id, permission_set),
                RoleSessionName=user,
                DurationSeconds=max(900, seconds),
            )
        except (ClientError, BotoCoreError) as error:
            raise ApiError(500, "InternalServerException", f"AssumeRole failed: {error}") from error
        credentials = answer["Credentials"]
        expiration: dt.datetime = credentials["Expiration"]
        return RoleCredentials(
            credentials["AccessKeyId"],
            credentials["SecretAccessKey"],
            credentials["SessionToken"],
            int(expiration.timestamp() * 1000),
        )

    def caller_arn(self, access_key_id: str, secret_access_key: str, session_token: str) -> str:
        from botocore.exceptions import BotoCoreError, ClientError

        keys = Keys(access_key_id, secret_access_key, session_token)
        try:
            sts = moto_client(self._session, "sts", self.endpoint, keys)
            return str(sts.get_caller_identity()["Arn"])
        except (ClientError, BotoCoreError) as error:
            raise ApiError(400, "InvalidRequestException", "the session is not valid") from error


@dataclass
class RunningSandbox:
    moto: MotoServer
    identity_center: IdentityCenterServer
    seeded: Seeded = field(repr=False)

    def stop(self) -> None:
        self.identity_center.stop()
        self.moto.stop()

    def backdate_access_key(self, account_id: str, access_key_id: str, days: float) -> None:
        """Make an access key look ``days`` old (CreateDate cannot be changed through any API)."""
        from moto.iam.models import iam_backends

        key = iam_backends[account_id][world.PARTITION].access_keys.get(access_key_id)
        if key is None:
            raise SandboxError(f"No access key {access_key_id} in account {account_id}")
        created = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) - dt.timedelta(days=days)
        key.create_date = created  # moto keeps naive UTC datetimes
        key.last_used = None


def start_sandbox(
    moto_port: int = 0,
    idc_port: int = 0,
    extra_accounts: int = 0,
    progress: Callable[[str], None] = lambda _: None,
) -> RunningSandbox:
    """Start and seed both servers; on any failure nothing is left running."""
    progress("starting moto")
    moto = start_moto(moto_port)
    try:
        seeded = seed(moto, progress)
        progress("starting the Identity Center emulator")
        source = MotoCredentialSource(moto.url, seeded.identity_center_keys)
        identity_center = start_identity_center(source, idc_port, extra_accounts)
    except BaseException:
        moto.stop()
        raise
    return RunningSandbox(moto, identity_center, seeded)
