"""The sandbox's AWS home: the config and credentials files for the journey's profiles, the caches
to clear, and the shell lines that point the AWS CLI, boto3 and awsprof at it.

Why HOME and not only AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE: the AWS CLI and botocore keep
the SSO token cache (``~/.aws/sso/cache``) and cached role credentials (``~/.aws/cli/cache``)
under HOME with no variable to move them, so a sandbox login would otherwise land in the person's
real ``~/.aws``. The env lines therefore set HOME too (remembering the old one for ``--undo``).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from awsprof.sandbox import accounts as world
from awsprof.sandbox.clients import Keys
from awsprof.sandbox.net import HOST

HOME_VARIABLE = "AWSPROF_SANDBOX_HOME"
PREVIOUS_HOME_VARIABLE = "AWSPROF_SANDBOX_PREVIOUS_HOME"

# Variables that would send a command somewhere other than the sandbox, or pick other credentials.
REDIRECTING_VARIABLES = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_STS",
    "AWS_ENDPOINT_URL_IAM",
    "AWS_ENDPOINT_URL_S3",
    "AWS_ENDPOINT_URL_SSO",
    "AWS_ENDPOINT_URL_SSO_OIDC",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
)


@dataclass(frozen=True)
class SandboxHome:
    """Paths of a sandbox home directory."""

    root: Path

    @property
    def aws_dir(self) -> Path:
        return self.root / ".aws"

    @property
    def config_file(self) -> Path:
        return self.aws_dir / "config"

    @property
    def credentials_file(self) -> Path:
        return self.aws_dir / "credentials"

    @property
    def sso_cache(self) -> Path:
        return self.aws_dir / "sso" / "cache"

    @property
    def cli_cache(self) -> Path:
        return self.aws_dir / "cli" / "cache"

    def environment(self) -> dict[str, str]:
        """The variables a child process needs to use only this home."""
        return {
            "HOME": str(self.root),
            "AWS_CONFIG_FILE": str(self.config_file),
            "AWS_SHARED_CREDENTIALS_FILE": str(self.credentials_file),
            HOME_VARIABLE: str(self.root),
        }


@dataclass(frozen=True)
class HomeContent:
    """What the written files point at: the two servers and the static keys per account."""

    moto_port: int
    idc_port: int
    static_keys: dict[str, Keys] = field(repr=False)


def config_text(content: HomeContent) -> str:
    moto = f"http://{HOST}:{content.moto_port}"
    idc = f"http://{HOST}:{content.idc_port}"
    lines = [
        "# Written by `awsprof sandbox up`. Every endpoint below is the local sandbox, not AWS.",
    ]
    for profile in world.PROFILES:
        header = "default" if profile.name == "default" else f"profile {profile.name}"
        lines += ["", f"[{header}]"]
        if profile.kind == "sso":
            lines += [
                f"sso_session = {world.SSO_SESSION}",
                f"sso_account_id = {profile.account.account_id}",
                f"sso_role_name = {profile.sso_role}",
            ]
        elif profile.kind == "role":
            lines += [
                f"role_arn = {world.org_role_arn(profile.account)}",
                f"source_profile = {profile.source_profile}",
            ]
        lines += [
            f"region = {world.REGION}",
            "output = json",
            # On every profile, the role profile too: AssumeRole ignores the source's endpoint.
            f"endpoint_url = {moto}",
            f"services = {world.SERVICES_SECTION}",
        ]
        if profile.protected:
            lines.append(f"{world.PROTECTED_KEY} = true")
    lines += [
        "",
        f"[sso-session {world.SSO_SESSION}]",
        f"sso_start_url = {world.SSO_START_URL}",
        f"sso_region = {world.SSO_REGION}",
        f"sso_registration_scopes = {world.SSO_SCOPES}",
        "",
        "# The SSO clients need their own endpoint: the profiles' endpoint_url is moto.",
        f"[services {world.SERVICES_SECTION}]",
        "sso =",
        f"    endpoint_url = {idc}",
        "sso_oidc =",
        f"    endpoint_url = {idc}",
        "# The emulator also serves the federation endpoint of `awsprof console`.",
        "signin =",
        f"    endpoint_url = {idc}",
    ]
    return "\n".join(lines) + "\n"


def credentials_text(content: HomeContent) -> str:
    blocks = []
    for profile in world.PROFILES:
        if profile.kind != "static":
            continue
        keys = content.static_keys[profile.account.account_id]
        blocks.append(
            f"[{profile.name}]\n"
            f"aws_access_key_id = {keys.access_key_id}\n"
            f"aws_secret_access_key = {keys.secret_access_key}\n"
        )
    return "\n".join(blocks)


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` with mode 0600, atomically (temp file in the same directory)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def clear_caches(home: SandboxHome) -> None:
    """Cached tokens and role credentials from an earlier server map to nothing (or the wrong
    account) in a fresh moto, so every (re)start begins without them."""
    for cache in (home.sso_cache, home.cli_cache):
        shutil.rmtree(cache, ignore_errors=True)


def write_home(home: SandboxHome, content: HomeContent) -> None:
    home.root.mkdir(mode=0o700, parents=True, exist_ok=True)
    home.aws_dir.mkdir(mode=0o700, exist_ok=True)
    os.chmod(home.aws_dir, 0o700)
    write_private(home.config_file, config_text(content))
    write_private(home.credentials_file, credentials_text(content))
    write_private(home.root / WRITTEN_FILE, _content_json(content))
    clear_caches(home)


# What the files were last written with (ports and keys), so a later `up` can point the person's
# edited files at the new servers by changing only those values. Mode 0600: it holds moto keys.
WRITTEN_FILE = "home-written.json"


def _content_json(content: HomeContent) -> str:
    keys = {
        account: [k.access_key_id, k.secret_access_key]
        for account, k in content.static_keys.items()
    }
    return json.dumps({"moto_port": content.moto_port, "idc_port": content.idc_port, "keys": keys})


def written_content(home: SandboxHome) -> HomeContent | None:
    """What the files were last written with; None when unknown (never written, or damaged)."""
    try:
        data = json.loads((home.root / WRITTEN_FILE).read_text(encoding="utf-8"))
        keys = {a: Keys(str(pair[0]), str(pair[1])) for a, pair in dict(data["keys"]).items()}
        return HomeContent(int(data["moto_port"]), int(data["idc_port"]), keys)
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def _substitute(text: str, replacements: dict[str, str]) -> str:
    """Every old value replaced in one pass (a new port may equal another old one)."""
    wanted = {old: new for old, new in replacements.items() if old != new}
    if not wanted:
        return text
    pattern = re.compile("|".join(re.escape(old) for old in sorted(wanted, key=len, reverse=True)))
    return pattern.sub(lambda match: wanted[match.group(0)], text)


def _url_pattern(port: int) -> str:
    return f"http://{HOST}:{port}"


def reuse_home(home: SandboxHome, content: HomeContent) -> bool:
    """Keep the person's files, pointing them at the new servers and keys: only the old endpoint
    URLs and seeded keys change, every other byte stays. False (nothing changed) when the home
    has no files or no record of what they were written with."""
    before = written_content(home)
    if before is None or not (home.config_file.exists() or home.credentials_file.exists()):
        return False
    replacements = {
        _url_pattern(before.moto_port): _url_pattern(content.moto_port),
        _url_pattern(before.idc_port): _url_pattern(content.idc_port),
    }
    for account, old in before.static_keys.items():
        new = content.static_keys.get(account)
        if new is not None:
            replacements[old.access_key_id] = new.access_key_id
            replacements[old.secret_access_key] = new.secret_access_key
    for path in (home.config_file, home.credentials_file):
        if path.exists():
            write_private(path, _substitute(path.read_text(encoding="utf-8"), replacements))
    write_private(home.root / WRITTEN_FILE, _content_json(content))
    clear_caches(home)
    return True


def env_lines(home: SandboxHome) -> list[str]:
    """POSIX shell lines (bash, zsh, sh) that make this shell use only the sandbox home."""
    previous = f'export {PREVIOUS_HOME_VARIABLE}="${{{PREVIOUS_HOME_VARIABLE}:-$HOME}}"'
    lines = [previous]
    for name, value in home.environment().items():
        lines.append(f"export {name}={shlex.quote(value)}")
    lines.append('export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}"')
    lines.append("unset " + " ".join(REDIRECTING_VARIABLES))
    return lines


def undo_lines() -> list[str]:
    """Lines that return a shell to the home it had before ``eval "$(awsprof sandbox env)"``."""
    return [
        f'if [ -n "${{{PREVIOUS_HOME_VARIABLE}:-}}" ]; then '
        f'export HOME="${PREVIOUS_HOME_VARIABLE}"; fi',
        f"unset {PREVIOUS_HOME_VARIABLE} {HOME_VARIABLE} AWS_CONFIG_FILE "
        "AWS_SHARED_CREDENTIALS_FILE",
    ]
