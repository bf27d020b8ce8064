"""Sandbox fixtures: the servers once per session (in this process, so tests can reach moto's
state), a fresh AWS home per test, and helpers to approve logins, expire tokens, back-date keys,
read the emulator's request log and run the real AWS CLI.

Do not use ``moto.mock_aws`` in the same test process: moto's state and its authentication switch
are global, and ``mock_aws`` resets them under the running sandbox.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from awsprof.sandbox import accounts as world
from awsprof.sandbox.clients import Keys, isolated_session
from awsprof.sandbox.home import HomeContent, SandboxHome, write_home
from awsprof.sandbox.identity_center import IdentityCenterServer, LogEntry
from awsprof.sandbox.runtime import RunningSandbox, start_sandbox

BIN_DIR = Path(sys.executable).parent
NO_REDIRECTS = urllib.request.build_opener(
    urllib.request.ProxyHandler({}),
    type(
        "NoRedirect",
        (urllib.request.HTTPRedirectHandler,),
        {"redirect_request": lambda *args, **kwargs: None},
    ),
)


@pytest.fixture(scope="session")
def sandbox_servers() -> Iterator[RunningSandbox]:
    """moto (seeded, enforcing) and the Identity Center emulator, in threads of this process."""
    running = start_sandbox()
    yield running
    running.stop()


def token_cache_name(session_name: str) -> str:
    return hashlib.sha1(session_name.encode()).hexdigest() + ".json"  # noqa: S324 - AWS's name


def utc_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Sandbox:
    """One test's view of the sandbox: a fresh AWS home (HOME points at it) and helpers."""

    servers: RunningSandbox = field(repr=False)
    home: Path
    paths: SandboxHome
    profiles: dict[str, world.ProfileSpec]
    accounts: dict[str, str]  # profile name -> account ID
    static_keys: dict[str, Keys] = field(repr=False)  # profile name -> keys
    sso_session: str = world.SSO_SESSION
    start_url: str = world.SSO_START_URL
    sso_region: str = world.SSO_REGION

    @property
    def aws_dir(self) -> Path:
        return self.paths.aws_dir

    @property
    def config_file(self) -> Path:
        return self.paths.config_file

    @property
    def credentials_file(self) -> Path:
        return self.paths.credentials_file

    @property
    def moto_url(self) -> str:
        return self.servers.moto.url

    @property
    def moto_port(self) -> int:
        return self.servers.moto.port

    @property
    def idc_url(self) -> str:
        return self.servers.identity_center.url

    @property
    def idc_port(self) -> int:
        return self.servers.identity_center.port

    @property
    def identity_center(self) -> IdentityCenterServer:
        return self.servers.identity_center

    @property
    def token_cache_file(self) -> Path:
        return self.paths.sso_cache / token_cache_name(self.sso_session)

    # -- Identity Center --------------------------------------------------------------------
    def approve(self, user_code: str | None = None) -> list[str]:
        """Approve a pending device login (by user code, or every pending one)."""
        return self.identity_center.approve(user_code)

    def expire_token(
        self, access: bool = True, refresh: bool = False, registrations: bool = False
    ) -> int:
        """Make the emulator's live access tokens (and optionally refresh tokens or client
        registrations) expire now; returns how many records changed."""
        return self.identity_center.expire(access, refresh, registrations)

    def configure_identity_center(self, **settings: object) -> None:
        """Change lifetimes or switches (model.Settings); reset after the test."""
        self.identity_center.configure(**settings)

    def request_log(self) -> list[LogEntry]:
        """The emulator's requests since this test started (method, path, operation, ...)."""
        return self.identity_center.log()

    def sso_oidc_client(self) -> Any:
        return _unsigned_client("sso-oidc", self.idc_url)

    def sso_client(self) -> Any:
        return _unsigned_client("sso", self.idc_url)

    def login_sso(self, expires_in: int | None = None, refreshable: bool = True) -> dict[str, Any]:
        """Log in through the device flow at the wire level and write the token cache file the
        AWS CLI and botocore read (``expires_in`` overrides the cached expiry, in seconds)."""
        oidc = self.sso_oidc_client()
        scopes = {"scopes": [world.SSO_SCOPES]} if refreshable else {}
        client = oidc.register_client(clientName="awsprof-tests", clientType="public", **scopes)
        device = oidc.start_device_authorization(
            clientId=client["clientId"],
            clientSecret=client["clientSecret"],
            startUrl=self.start_url,
        )
        self.approve(device["userCode"])
        token = oidc.create_token(
            clientId=client["clientId"],
            clientSecret=client["clientSecret"],
            grantType="urn:ietf:params:oauth:grant-type:device_code",
            deviceCode=device["deviceCode"],
        )
        now = dt.datetime.now(dt.timezone.utc)
        seconds = token["expiresIn"] if expires_in is None else expires_in
        registration_expiry = dt.datetime.fromtimestamp(
            client["clientSecretExpiresAt"], dt.timezone.utc
        )
        cached = {
            "startUrl": self.start_url,
            "region": self.sso_region,
            "accessToken": token["accessToken"],
            "expiresAt": utc_text(now + dt.timedelta(seconds=seconds)),
            "clientId": client["clientId"],
            "clientSecret": client["clientSecret"],
            "registrationExpiresAt": utc_text(registration_expiry),
        }
        if "refreshToken" in token:
            cached["refreshToken"] = token["refreshToken"]
        self.write_token_cache(cached)
        return cached

    def write_token_cache(self, token: dict[str, Any]) -> Path:
        self.paths.sso_cache.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = self.token_cache_file
        path.write_text(json.dumps(token))
        path.chmod(0o600)
        return path

    def read_token_cache(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.token_cache_file.read_text())
        return data

    def get(self, url: str) -> tuple[int, str]:
        """GET an emulator path or any URL without following redirects: (status, body)."""
        if url.startswith("/"):
            url = self.idc_url + url
        try:
            with NO_REDIRECTS.open(url, timeout=10) as answer:
                return int(answer.status), answer.read().decode()
        except urllib.error.HTTPError as error:
            return int(error.code), error.read().decode()

    def open_and_allow(self, authorize_url: str) -> str:
        """Do what a person's browser does for a PKCE login: load the authorize page, press
        Allow, and follow the redirect to the loopback listener. Returns the redirect URL."""
        page = NO_REDIRECTS.open(authorize_url, timeout=10)
        request_id = page.headers["X-Sandbox-Request-Id"]
        page.read()
        form = urllib.parse.urlencode({"request_id": request_id, "decision": "allow"}).encode()
        try:
            NO_REDIRECTS.open(f"{self.idc_url}/authorize/decision", data=form, timeout=10)
        except urllib.error.HTTPError as redirect:
            if redirect.code != 302:
                raise
            location = redirect.headers["Location"]
        else:  # pragma: no cover - the emulator always redirects
            raise AssertionError("the authorize decision did not redirect")
        with NO_REDIRECTS.open(location, timeout=10) as callback:
            callback.read()
        return str(location)

    # -- moto -------------------------------------------------------------------------------
    def backdate_access_key(
        self, account: str, key_id: str | None = None, days: float = 120
    ) -> str:
        """Make an access key ``days`` old; ``account`` is an account ID or a static-key
        profile name (its key by default). Returns the key ID."""
        if account in self.static_keys:
            key_id = key_id or self.static_keys[account].access_key_id
            account = self.accounts[account]
        if key_id is None:
            raise ValueError("key_id is required with an account ID")
        self.servers.backdate_access_key(account, key_id, days)
        return key_id

    def moto_client(self, service: str, profile: str = "dev") -> Any:
        """A botocore client for moto with a static-key profile's keys (no files read)."""
        from awsprof.sandbox.clients import moto_client

        return moto_client(isolated_session(), service, self.moto_url, self.static_keys[profile])

    # -- child processes --------------------------------------------------------------------
    def env(self, **extra: str) -> dict[str, str]:
        """Environment for a child process that must use only this sandbox home."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(self.paths.environment())
        env["PATH"] = os.pathsep.join([str(BIN_DIR), env.get("PATH", "")])
        env["NO_PROXY"] = "127.0.0.1,localhost"
        env["AWS_PAGER"] = ""
        env.update(extra)
        return env

    def run_awsprof(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        """awsprof as a child process of this home, with no terminal (a script's view)."""
        return subprocess.run(
            [str(BIN_DIR / "awsprof"), *args],
            env=self.env(**env),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            start_new_session=True,
        )

    def run_aws(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """Run the real AWS CLI (from this virtual environment) against the sandbox home."""
        return subprocess.run(
            [str(BIN_DIR / "aws"), *args],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def _unsigned_client(service: str, endpoint: str) -> Any:
    from botocore import UNSIGNED
    from botocore.config import Config

    return isolated_session().create_client(
        service,
        region_name=world.SSO_REGION,
        endpoint_url=endpoint,
        config=Config(signature_version=UNSIGNED, proxies={}, retries={"total_max_attempts": 1}),
    )


@pytest.fixture
def sandbox(
    sandbox_servers: RunningSandbox, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Sandbox]:
    """A fresh AWS home for the session's sandbox; HOME points at it for this test."""
    paths = SandboxHome(isolated_home)
    keys_by_account = sandbox_servers.seeded.static_keys
    write_home(
        paths,
        HomeContent(
            sandbox_servers.moto.port, sandbox_servers.identity_center.port, keys_by_account
        ),
    )
    monkeypatch.setenv("HOME", str(isolated_home))
    profiles = {p.name: p for p in world.PROFILES}
    sandbox_servers.identity_center.clear_log()
    yield Sandbox(
        servers=sandbox_servers,
        home=isolated_home,
        paths=paths,
        profiles=profiles,
        accounts={name: p.account.account_id for name, p in profiles.items()},
        static_keys={
            name: keys_by_account[p.account.account_id]
            for name, p in profiles.items()
            if p.kind == "static"
        },
    )
    sandbox_servers.identity_center.reset_settings()
    sandbox_servers.identity_center.portal.reset_organisation()
