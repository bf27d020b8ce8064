"""Which account a profile reaches, known offline: the one ``account_of`` every caller uses.

Accounts come only from what cannot lie about them, in the order the credential chain uses them:

1. a role profile's ``role_arn`` (the final role of a chain decides: it is the identity used);
2. web identity: the role of ``AWS_ROLE_ARN`` / the profile's ``role_arn`` with a token file;
3. an SSO profile's ``sso_account_id``;
4. long-term keys: the account STS returned for that access key ID earlier (awsprof's per-key
   cache, written by ``awsprof.resolution.identity``): a key never changes account;
5. a console login's ``login_session`` (the principal ARN ``aws login`` wrote), unless the
   profile has keys, which botocore uses first.

Never the profile's name, and never a pin (``awsprof_expected_account`` is what a person expects,
which the guard compares with this). Anything else is "unknown".
"""

from __future__ import annotations

from awsprof.reader.caches import read_cache

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Mapping

    Settings = Mapping[str, tuple[str, str]]  # key -> (value, "file:line")

ROLE_ARN_VARIABLE = "AWS_ROLE_ARN"
TOKEN_FILE_VARIABLE = "AWS_WEB_IDENTITY_TOKEN_FILE"  # noqa: S105 - a variable's name
SESSION_NAME_VARIABLE = "AWS_ROLE_SESSION_NAME"


def is_account_id(text: str | None) -> bool:
    """An AWS account ID: exactly 12 digits (never a substring or a name)."""
    return text is not None and len(text) == 12 and text.isdigit() and text.isascii()


def role_account(role_arn: str) -> str | None:
    """The account of ``arn:PARTITION:iam::ACCOUNT:role/NAME``, or None when malformed."""
    parts = role_arn.strip().split(":", 5)
    if len(parts) == 6 and parts[0] == "arn" and parts[2] == "iam" and parts[5][:5] == "role/":
        return parts[4] if is_account_id(parts[4]) else None
    return None


def shown_key(access_key_id: str) -> str:
    """An access key ID as a person sees it in messages: the last 4 characters only."""
    return "access key ****" + access_key_id[-4:]


def web_identity(
    settings: Settings, environ: Mapping[str, str]
) -> tuple[tuple[str, str], tuple[str, str], str | None] | None:
    """((role ARN, where), (token file, where), session name) when web identity answers.

    botocore's rule: each setting comes from its environment variable when the environment is
    on (``environ`` is empty when a ``--profile`` switched it off), else from the profile; it
    applies when both a token file and a role are known.
    """
    role = settings.get("role_arn")
    token = settings.get("web_identity_token_file")
    session = settings.get("role_session_name")
    if environ.get(ROLE_ARN_VARIABLE):
        role = (environ[ROLE_ARN_VARIABLE], ROLE_ARN_VARIABLE)
    if environ.get(TOKEN_FILE_VARIABLE):
        token = (environ[TOKEN_FILE_VARIABLE], TOKEN_FILE_VARIABLE)
    if environ.get(SESSION_NAME_VARIABLE):
        session = (environ[SESSION_NAME_VARIABLE], SESSION_NAME_VARIABLE)
    if role is None or token is None:
        return None
    return role, token, session[0] if session else None


def assumes_role(settings: Settings) -> bool:
    """A role profile in botocore's sense: ``role_arn`` without a web identity token file."""
    return "role_arn" in settings and "web_identity_token_file" not in settings


class KeyAccounts:
    """The per-key account cache (``accounts.json``), read at most once."""

    __slots__ = ("_environ", "_known")

    def __init__(
        self, environ: Mapping[str, str], known: Mapping[str, object] | None = None
    ) -> None:
        """``known``: access key ID -> account (or the cache's entry) instead of the cache."""
        self._environ = environ
        self._known: dict[str, object] | None = None
        if known is not None:
            self._known = {
                key: value if isinstance(value, dict) else {"Account": value}
                for key, value in known.items()
            }

    def of_key(self, access_key_id: str) -> str | None:
        if self._known is None:
            self._known = read_cache(self._environ, "accounts")
        entry = self._known.get(access_key_id)
        account = entry.get("Account") if isinstance(entry, dict) else None
        return account if isinstance(account, str) and is_account_id(account) else None


def account_of(
    settings: Settings, keys: KeyAccounts, environ: Mapping[str, str] | None = None
) -> tuple[str | None, str | None]:
    """(account, where it comes from) of a profile's own settings, without the network.

    ``environ`` holds the web identity variables when they apply to this profile (the selected
    profile, not named by ``--profile``); leave it out for any other profile.
    """
    if assumes_role(settings):
        # A role profile's identity is its role, whatever the chain below it.
        role_arn = settings["role_arn"]
        account = role_account(role_arn[0])
        return account, (f"role_arn ({role_arn[1]})" if account else None)
    found = web_identity(settings, environ or {})
    if found is not None:
        (web_role_arn, where), _, _ = found
        account = role_account(web_role_arn)
        return account, (f"web identity role ({where})" if account else None)
    sso_account = settings.get("sso_account_id")
    if sso_account is not None and is_account_id(sso_account[0].strip()):
        return sso_account[0].strip(), f"sso_account_id ({sso_account[1]})"
    key = settings.get("aws_access_key_id")
    if key is not None:
        account = keys.of_key(key[0].strip())
        if account is not None:
            return account, f"STS, earlier, for {shown_key(key[0].strip())}"
        return None, None
    login = settings.get("login_session")
    if login is not None:
        account = principal_account(login[0])
        return account, (f"login_session ({login[1]})" if account else None)
    return None, None


def principal_account(arn: str) -> str | None:
    """The account of an IAM or STS principal ARN (``arn:aws:sts::ACCOUNT:assumed-role/...``)."""
    parts = arn.strip().split(":", 5)
    if len(parts) == 6 and parts[0] == "arn" and parts[2] in ("iam", "sts") and parts[5]:
        return parts[4] if is_account_id(parts[4]) else None
    return None
