"""An unusable cache directory never fails a command (issue 12, case 6): whoami goes on without
caching and says so once."""

from __future__ import annotations

import json
from pathlib import Path

from fixtures_sandbox import Sandbox
from resolution.helpers import awsprof


def test_whoami_with_a_file_as_awsprof_cache_dir_warns_once(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    done = awsprof(sandbox.env(XDG_CACHE_HOME=str(blocker)), "whoami", "--profile", "dev")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["Account"] == "222233334444"
    assert done.stderr.count("continuing without caching") == 1, done.stderr
    assert blocker.read_text() == "x"


def test_role_with_an_unusable_aws_cli_cache_warns_once(sandbox: Sandbox) -> None:
    """A file where ~/.aws/cli/cache should be: the role is assumed without its cache."""
    sandbox.login_sso()
    cli = sandbox.aws_dir / "cli"
    cli.mkdir(exist_ok=True)
    (cli / "cache").write_text("x")
    done = awsprof(sandbox.env(), "whoami", "--profile", "work")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["Account"]
    assert done.stderr.count(f"cannot use the cache directory {cli / 'cache'}") == 1, done.stderr
    assert "unexpected error" not in done.stderr


def test_sso_login_with_an_unusable_token_cache_is_a_clear_error(sandbox: Sandbox) -> None:
    """The token is the login itself: no place to keep it is an error before any browser."""
    sso = sandbox.aws_dir / "sso"
    sso.mkdir(exist_ok=True)
    if (sso / "cache").is_dir():
        import shutil

        shutil.rmtree(sso / "cache")
    (sso / "cache").write_text("x")
    done = awsprof(sandbox.env(), "sso", "login", "--sso-session", "my-org", "--no-browser")
    assert done.returncode == 1, done.stderr
    assert f"cannot use the SSO cache directory {sso / 'cache'}" in done.stderr
    assert "unexpected error" not in done.stderr
