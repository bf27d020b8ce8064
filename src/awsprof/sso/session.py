"""Which IAM Identity Center session a command means, with everything a login needs.

A login belongs to an ``[sso-session NAME]`` (token cache file ``sha1(NAME)``) or, for legacy
profiles that carry ``sso_start_url`` themselves, to that start URL (``sha1(URL)``), as in the AWS
CLI. Two awsprof keys live beside the AWS ones and are ignored by the AWS CLI:
``sso_login_flow = device`` (a remote host that cannot receive the loopback redirect, aws-cli #9098)
and ``sso_redirect_port = N`` (a fixed loopback port a firewall or container can forward, #10433).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from awsprof.errors import ProfileNotFoundError, ResolutionError, UsageError
from awsprof.files.jsoncache import sha1_key
from awsprof.profiles.model import AwsFiles, NamedSection, Profile
from awsprof.reader.selection import select_profile

DEFAULT_SCOPES = ("sso:account:access",)
LOGIN_FLOWS = ("pkce", "device")


@dataclass(frozen=True)
class SessionSettings:
    """One SSO session as configured: where to log in and how."""

    name: str | None  # the sso-session name; None for a legacy profile
    start_url: str
    region: str
    scopes: tuple[str, ...]  # sso_registration_scopes as written (empty when unset)
    login_flow: str | None = None  # "device" or "pkce" when the config asks for one
    redirect_port: int | None = None
    profile: str | None = None  # the profile whose endpoints ([services]) the clients use

    @property
    def label(self) -> str:
        return self.name or self.start_url

    @property
    def token_key(self) -> str:
        """File stem of the AWS CLI's token cache for this session."""
        return sha1_key(self.name or self.start_url)

    @property
    def is_legacy(self) -> bool:
        return self.name is None

    def login_command(self) -> str:
        if self.name:
            return f"awsprof sso login --sso-session {self.name}"
        return f"awsprof sso login --profile {self.profile}"


def _scopes(text: str | None) -> tuple[str, ...]:
    """``sso_registration_scopes`` is a comma-separated list in the AWS CLI."""
    if not text:
        return ()
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _port(text: str | None, where: str) -> int | None:
    if not text:
        return None
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise ResolutionError(
            f"sso_redirect_port in {where} is not a port number",
            "Write a number from 1024 to 65535, or 0 for any free port.",
        )
    return port or None


def _flow(text: str | None, where: str) -> str | None:
    if not text:
        return None
    flow = text.strip().lower()
    if flow not in LOGIN_FLOWS:
        raise ResolutionError(
            f"sso_login_flow in {where} must be 'pkce' or 'device'",
            "Use `sso_login_flow = device` on hosts without a local browser.",
        )
    return flow


def from_section(section: NamedSection, profile: str | None = None) -> SessionSettings:
    where = f"[sso-session {section.name}] ({section.source})"
    start_url, region = section.text("sso_start_url"), section.text("sso_region")
    missing = [
        key for key, value in (("sso_start_url", start_url), ("sso_region", region)) if not value
    ]
    if missing:
        raise ResolutionError(
            f"{where} is missing {', '.join(missing)}",
            f"Run `awsprof configure sso-session` or "
            f"`awsprof configure set {missing[0]} VALUE --sso-session {section.name}`.",
        )
    assert start_url is not None and region is not None  # noqa: S101 - checked just above
    return SessionSettings(
        section.name,
        start_url,
        region,
        _scopes(section.text("sso_registration_scopes")),
        _flow(section.text("sso_login_flow"), where),
        _port(section.text("sso_redirect_port"), where),
        profile,
    )


def sso_session_of(files: AwsFiles, profile: Profile) -> NamedSection | None:
    """The ``[sso-session]`` block a profile names (None for a legacy profile without one).

    The one reading of that link, for login and for credentials alike: a block that does not
    exist, or a profile that disagrees with its block on the start URL or region, is refused.
    """
    session_name = profile.text("sso_session")
    if not session_name:
        return None
    section = files.sso_session(session_name)
    if section is None:
        where = profile.settings["sso_session"].source
        raise ResolutionError(
            f"profile '{profile.name}' names sso_session '{session_name}' ({where}), "
            f"but the config file has no [sso-session {session_name}] section",
            "Create it with `awsprof configure sso-session`.",
        )
    for key in ("sso_start_url", "sso_region"):
        in_session, in_profile = section.text(key), profile.text(key)
        if in_session and in_profile and in_session != in_profile:
            raise ResolutionError(
                f"profile '{profile.name}' and its sso-session '{session_name}' disagree "
                f"on {key} ({profile.settings[key].source} vs {section.settings[key].source})",
                f"Remove {key} from the profile; the sso-session holds it.",
            )
    return section


def _from_profile(files: AwsFiles, profile: Profile) -> SessionSettings:
    section = sso_session_of(files, profile)
    if section is not None:
        return from_section(section, profile.name)
    start_url, region = profile.text("sso_start_url"), profile.text("sso_region")
    if not start_url or not region:
        raise ResolutionError(
            f"profile '{profile.name}' is not an SSO profile (no sso_session, or no "
            "sso_start_url and sso_region)",
            f"Run `awsprof configure sso --profile {profile.name}`.",
        )
    where = f"profile '{profile.name}'"
    return SessionSettings(
        None,
        start_url,
        region,
        _scopes(profile.text("sso_registration_scopes")),
        _flow(profile.text("sso_login_flow"), where),
        _port(profile.text("sso_redirect_port"), where),
        profile.name,
    )


def endpoint_profile(files: AwsFiles, session_name: str, environ: Mapping[str, str]) -> str | None:
    """The profile whose endpoint settings the SSO clients of a session use.

    The selected profile (``AWS_PROFILE`` or ``default``) when it exists, as in the AWS CLI;
    otherwise the first profile that uses the session, so its ``services`` section applies.
    """
    selected = select_profile(None, environ).profile
    if files.has_profile(selected):
        return selected
    for name in files.profile_names():
        found = files.profile(name)
        if found is not None and found.text("sso_session") == session_name:
            return name
    return None


def session_settings(
    files: AwsFiles,
    environ: Mapping[str, str],
    sso_session: str | None = None,
    profile: str | None = None,
) -> SessionSettings:
    """The session a command names: ``--sso-session``, else ``--profile`` (or the selected one)."""
    if sso_session is not None and profile is not None:
        raise UsageError("use either --profile or --sso-session, not both")
    if sso_session is not None:
        section = files.sso_session(sso_session)
        if section is None:
            raise ResolutionError(
                f"there is no [sso-session {sso_session}] in {files.config_path}",
                _session_hint(sso_session, files.sso_session_names()),
            )
        return from_section(section, endpoint_profile(files, sso_session, environ))
    selection = select_profile(profile, environ)
    found = files.profile(selection.profile)
    if found is None:
        if not selection.explicit and len(files.sso_session_names()) == 1:
            # No profile chosen and no default: the only session is what the person means.
            only = files.sso_session_names()[0]
            return session_settings(files, environ, sso_session=only)
        from awsprof.reader.selection import not_found_hint

        raise ProfileNotFoundError(
            selection.profile, not_found_hint(selection, files.profile_names())
        )
    return _from_profile(files, found)


def _session_hint(name: str, names: list[str]) -> str:
    import difflib  # only on the error path

    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    if close:
        return f"Did you mean `--sso-session {close[0]}`?"
    if names:
        return f"The sso-sessions are: {', '.join(names)}."
    return "Create one with `awsprof configure sso-session`."


def all_sessions(files: AwsFiles, environ: Mapping[str, str]) -> list[SessionSettings]:
    """Every ``[sso-session]`` in file order, then each legacy start URL used by a profile."""
    result: list[SessionSettings] = []
    for name in files.sso_session_names():
        section = files.sso_session(name)
        if section is not None:
            try:
                result.append(from_section(section, endpoint_profile(files, name, environ)))
            except ResolutionError:
                result.append(SessionSettings(name, section.text("sso_start_url") or "", "", ()))
    seen = set()
    # A legacy profile: no sso_session, a start URL and a region (read for every profile
    # without building it: 100,000 generated profiles all have an sso_session).
    rows = files.texts(SESSION_KEYS)
    legacy = [(name, row[1]) for name, row in rows if not row[0] and row[1] and row[2]]
    for name, start_url in legacy:
        if start_url in seen:
            continue
        profile = files.profile(name)
        if profile is not None:
            seen.add(start_url)
            result.append(_from_profile(files, profile))
    return result


# The keys a walk over every profile for its SSO session reads (one read of the file's
# columns serves the walks of ``all_sessions`` and of each session's ``members``).
SESSION_KEYS = ("sso_session", "sso_start_url", "sso_region", "sso_account_id", "sso_role_name")


def members(files: AwsFiles, settings: SessionSettings) -> list[tuple[str, str | None, str | None]]:
    """The profiles that take their token from this session: each name with its
    ``sso_account_id`` and ``sso_role_name``, read without building the profiles."""
    rows = files.texts(SESSION_KEYS)
    name = settings.name
    if name is not None:
        return [
            (profile, account, role)
            for profile, (session, _, _, account, role) in rows
            if session == name
        ]
    url = settings.start_url
    return [
        (profile, account, role)
        for profile, (session, start_url, _, account, role) in rows
        if not session and start_url == url
    ]


def profiles_of(files: AwsFiles, settings: SessionSettings) -> list[Profile]:
    """The profiles that take their token from this session."""
    found = (files.profile(name) for name, _, _ in members(files, settings))
    return [profile for profile in found if profile is not None]
