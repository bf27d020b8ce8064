"""botocore clients, created only when a command must talk to AWS.

botocore does the signing, endpoint resolution, retries and error parsing; nothing of that is
written here. One botocore session is made per resolution, scoped to the profile the command
selected, because that is how the AWS CLI resolves endpoints for every call of a chain: the
profile's ``endpoint_url``, its ``[services]`` section and the ``AWS_ENDPOINT_URL*`` variables of
the selected profile apply, even to calls made for a source profile.

Given awsprof's parsed files, the session never reads them itself: botocore's whole-file parse
(``full_config``) costs seconds on a big config, for values awsprof already holds, so the session
gets only that profile's part (:mod:`awsprof.profiles.botocore_config`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from awsprof.credentials import Credentials
from awsprof.errors import ServiceError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

    from awsprof.profiles.model import AwsFiles

DEFAULT_REGION = "us-east-1"


class Clients:
    """Creates clients for one selected profile; botocore is imported on first use."""

    def __init__(
        self,
        config_file: Path,
        credentials_file: Path,
        profile: str | None,
        region: str | None,
        environ: Mapping[str, str],
        files: AwsFiles | None = None,
    ) -> None:
        self._files = files
        self._config_file = config_file
        self._credentials_file = credentials_file
        self._profile = profile
        self._region = region
        self._environ = environ
        self._session: Any = None

    def _botocore_session(self) -> Any:
        if self._session is None:
            import botocore.session

            session = botocore.session.Session()
            session.set_config_variable("config_file", str(self._config_file))
            session.set_config_variable("credentials_file", str(self._credentials_file))
            if self._files is not None:
                from awsprof.profiles.botocore_config import scoped_config

                name, config = scoped_config(self._files, self._profile)
                session.set_config_variable("profile", name)
                # botocore has no public setter: its parsed files, read here from awsprof's.
                session._config = config
            elif self._profile is not None:
                session.set_config_variable("profile", self._profile)
            self._session = session
        return self._session

    def client(
        self,
        service: str,
        credentials: Credentials | None,
        region: str | None = None,
        max_attempts: int | None = None,
    ) -> Any:
        """A client for ``service``; unsigned when ``credentials`` is None (SSO and OIDC).

        ``max_attempts`` (unsigned only) overrides botocore's retries: 1 for a caller that paces
        its own retries (``sso populate``), whose backoff botocore's would otherwise stretch.
        """
        from botocore.config import Config

        session = self._botocore_session()
        region_name = region or self._region or DEFAULT_REGION
        if credentials is None:
            from botocore import UNSIGNED

            retries: dict[str, Any] = {"mode": "standard"}
            if max_attempts is not None:
                retries["max_attempts"] = max_attempts
            config = Config(signature_version=UNSIGNED, retries=retries)
            return session.create_client(service, region_name=region_name, config=config)
        try:
            return session.create_client(
                service,
                region_name=region_name,
                aws_access_key_id=credentials.access_key_id,
                aws_secret_access_key=credentials.secret_access_key,
                aws_session_token=credentials.session_token,
                config=Config(retries={"mode": "standard"}),
            )
        except Exception as error:  # botocore raises many types for bad configuration
            raise ServiceError(f"cannot create a {service} client: {error}") from None


def call(operation: str, function: Any, **kwargs: Any) -> Any:
    """Run one AWS call and turn botocore's failures into awsprof errors (exit 5 or 6)."""
    from botocore.exceptions import BotoCoreError, ClientError
    from botocore.parsers import ResponseParserError

    from awsprof.errors import LoginRequiredError

    try:
        return function(**kwargs)
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "Unknown")
        message = error.response.get("Error", {}).get("Message", "")
        if code in {"ExpiredToken", "ExpiredTokenException", "UnauthorizedException"}:
            raise LoginRequiredError(f"{operation} refused: {code}: {message}") from None
        raise ServiceError(f"{operation} failed: {code}: {message}") from None
    except BotoCoreError as error:
        raise ServiceError(f"{operation} failed: {error}") from None
    except ResponseParserError:
        # An HTML error page or a truncated body: a failure of the service, not of awsprof.
        raise ServiceError(
            f"{operation} failed: the service answered with something that is not an AWS "
            "response (an HTTP error page?)",
            "Check the endpoint and try again; `--debug` shows the exchange.",
        ) from None
