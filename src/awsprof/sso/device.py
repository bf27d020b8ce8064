"""The device-code login: for hosts whose browser cannot reach a loopback redirect (SSH, WSL,
containers; aws-cli #9228, #9092, #8516), and for legacy profiles as in the AWS CLI.

Like the AWS CLI: start the device authorization, try CreateToken once before showing anything
(an already approved request needs no person), then show the URL and code the service returned,
and poll every ``interval`` seconds, five more after each SlowDown, until the code expires. Nothing
is written here: a cancelled or failed flow leaves no token behind.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from awsprof.errors import LoginRequiredError
from awsprof.sso.oidc import DEVICE_GRANT, OidcError, Registration, call

DEFAULT_INTERVAL = 5
SLOW_DOWN_STEP = 5


@dataclass(frozen=True)
class DeviceCode:
    """What a person needs to approve the login (no secret: the device code stays inside)."""

    verification_uri: str
    verification_uri_complete: str
    user_code: str
    expires_in: int
    interval: int


def run(
    oidc: Any,
    registration: Registration,
    start_url: str,
    present: Callable[[DeviceCode], None],
    sleep: Callable[[float], None] = time.sleep,
    monotonic: Callable[[], float] = time.monotonic,
) -> dict[str, Any]:
    """Run the flow and return the CreateToken answer."""
    try:
        started = call(
            oidc.start_device_authorization,
            clientId=registration.client_id,
            clientSecret=registration.client_secret,
            startUrl=start_url,
        )
    except OidcError as error:
        raise LoginRequiredError(
            f"IAM Identity Center refused to start a device login: {error.code}",
            "Check sso_start_url and sso_region of the session.",
        ) from None
    device_code = started["deviceCode"]
    shown = DeviceCode(
        started["verificationUri"],
        started.get("verificationUriComplete") or started["verificationUri"],
        started["userCode"],
        int(started.get("expiresIn") or 600),
        int(started.get("interval") or DEFAULT_INTERVAL),
    )
    deadline = monotonic() + shown.expires_in
    interval = shown.interval
    first = True
    while True:
        try:
            return call(
                oidc.create_token,
                grantType=DEVICE_GRANT,
                clientId=registration.client_id,
                clientSecret=registration.client_secret,
                deviceCode=device_code,
            )
        except OidcError as error:
            if error.code == "SlowDownException":
                interval += SLOW_DOWN_STEP
            elif error.code == "ExpiredTokenException":
                raise _expired() from None
            elif error.code == "AccessDeniedException":
                raise LoginRequiredError(
                    "the device login was denied in the browser; nothing was saved",
                    "Run the login again and press Allow.",
                ) from None
            elif error.code != "AuthorizationPendingException":
                raise LoginRequiredError(
                    f"IAM Identity Center refused the device login: {error.code}",
                    "Run the login again.",
                ) from None
        if first:
            present(shown)
            first = False
        if monotonic() >= deadline:  # the service says so too; this is the safety net
            raise _expired()
        sleep(interval)


def _expired() -> LoginRequiredError:
    return LoginRequiredError(
        "the device code expired before the login was approved; nothing was saved",
        "Run the login again and approve it in the browser within the time shown.",
    )
