"""The ``configure`` wizard side by side with the AWS CLI v2 (2.36), in a terminal: the same
prompts in the same order, the same answers, the same bytes in both files; v2's newer behaviour
(a session token asked for a temporary key only, the tip for a new profile, the warning for a
credentials file others can read)."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pexpect
import pytest
from v2_terminal import TOOLS, Run, converse, copy_home, file_bytes, homes, program

from fixtures_awscli_v2 import Clis

ACCESS_KEY = "AKIAIOSFODNN7WIZARD1"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYWIZARDKEY1"
TEMP_KEY = "ASIAIOSFODNN7WIZTEMP"
TEMP_SECRET = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbWIZTEMPSEC"
TOKEN = "IQoJb3JpZ2luX2VjEXAMPLEWIZARDTOKENxyz1234567890TOKN"
TIP = "Tip: You can deliver temporary credentials to the AWS CLI using your AWS Console session"

Dialogue = list[tuple[str, str]]


def wizard_both(
    clis: Clis, envs: dict[str, dict[str, str]], profile: str, dialogue: Dialogue
) -> dict[str, str]:
    """The wizard of both tools with the same answers; their transcripts."""
    transcripts = {}
    for tool in TOOLS:
        run = converse(clis, tool, ["configure", "--profile", profile], dialogue, envs[tool])
        assert run.code == 0, (tool, run.transcript)
        transcripts[tool] = run.transcript
    return transcripts


def same_files(envs: dict[str, dict[str, str]]) -> dict[str, bytes | None]:
    theirs = file_bytes(envs["v2"])
    assert file_bytes(envs["awsprof"]) == theirs
    return theirs


def test_new_profile_same_bytes_and_tip_as_v2(clis: Clis, tmp_path: Path) -> None:
    envs = homes(clis, tmp_path)
    dialogue = [
        ("AWS Access Key ID [None]: ", ACCESS_KEY),
        ("AWS Secret Access Key [None]: ", SECRET),
        ("Default region name [None]: ", "eu-west-3"),
        ("Default output format [None]: ", "yaml"),
    ]
    transcripts = wizard_both(clis, envs, "fresh one", dialogue)
    files = same_files(envs)
    assert f"[fresh one]\naws_access_key_id = {ACCESS_KEY}\n".encode() in (
        files["credentials"] or b""
    )
    assert b"[profile 'fresh one']\nregion = eu-west-3\noutput = yaml\n" in (files["config"] or b"")
    for text in transcripts.values():
        assert TIP in text
        assert "Session Token" not in text
    assert SECRET not in transcripts["awsprof"]  # typed without echo here (the AWS CLI echoes)


def test_existing_profile_gets_no_tip(clis: Clis, tmp_path: Path) -> None:
    envs = homes(clis, tmp_path)
    keys = clis.sandbox.static_keys["dev"]
    dialogue = [
        (f"AWS Access Key ID [****************{keys.access_key_id[-4:]}]: ", ""),
        (f"AWS Secret Access Key [****************{keys.secret_access_key[-4:]}]: ", ""),
        ("Default region name [us-east-1]: ", "ap-south-1"),
        ("Default output format [json]: ", ""),
    ]
    transcripts = wizard_both(clis, envs, "dev", dialogue)
    files = same_files(envs)
    assert b"region = ap-south-1\n" in (files["config"] or b"")
    for text in transcripts.values():
        assert TIP not in text


def test_temporary_key_token_then_long_term_key_same_bytes_as_v2(
    clis: Clis, tmp_path: Path
) -> None:
    envs = homes(clis, tmp_path)
    keys = clis.sandbox.static_keys["dev"]
    temporary = [
        (f"AWS Access Key ID [****************{keys.access_key_id[-4:]}]: ", TEMP_KEY),
        (f"AWS Secret Access Key [****************{keys.secret_access_key[-4:]}]: ", TEMP_SECRET),
        ("AWS Session Token [None]: ", TOKEN),
        ("Default region name [us-east-1]: ", ""),
        ("Default output format [json]: ", ""),
    ]
    transcripts = wizard_both(clis, envs, "dev", temporary)
    files = same_files(envs)
    assert f"aws_session_token = {TOKEN}\n".encode() in (files["credentials"] or b"")
    assert TOKEN not in transcripts["awsprof"]
    long_term = [
        ("AWS Access Key ID [****************TEMP]: ", ACCESS_KEY),
        ("AWS Secret Access Key [****************PSEC]: ", SECRET),
        ("Default region name [us-east-1]: ", ""),
        ("Default output format [json]: ", ""),
    ]
    transcripts = wizard_both(clis, envs, "dev", long_term)
    files = same_files(envs)
    assert b"aws_session_token" not in (files["credentials"] or b"")  # the stale token is gone
    for text in transcripts.values():
        assert "Session Token" not in text


def test_kept_temporary_key_without_token_is_not_asked_one(clis: Clis, tmp_path: Path) -> None:
    """v2 asks for a token for a new temporary key, or when one is stored; a kept ``ASIA`` key
    without a stored token is asked none (awsprof once asked)."""
    with clis.sandbox.credentials_file.open("a") as handle:
        handle.write(
            f"\n[half]\naws_access_key_id = {TEMP_KEY}\naws_secret_access_key = half/0001\n"
        )
    envs = homes(clis, tmp_path)
    dialogue = [
        ("AWS Access Key ID [****************TEMP]: ", ""),
        ("AWS Secret Access Key [****************0001]: ", ""),
        ("Default region name [None]: ", "us-west-2"),
        ("Default output format [None]: ", ""),
    ]
    transcripts = wizard_both(clis, envs, "half", dialogue)
    same_files(envs)
    for text in transcripts.values():
        assert "Session Token" not in text


def test_same_key_retyped_keeps_the_token_prompt_rule_of_v2(clis: Clis, tmp_path: Path) -> None:
    with clis.sandbox.credentials_file.open("a") as handle:
        handle.write(
            f"\n[temp]\naws_access_key_id = {TEMP_KEY}\naws_secret_access_key = {TEMP_SECRET}\n"
            f"aws_session_token = {TOKEN}\n"
        )
    envs = homes(clis, tmp_path)
    dialogue = [
        ("AWS Access Key ID [****************TEMP]: ", TEMP_KEY),
        ("AWS Secret Access Key [****************PSEC]: ", ""),
        ("AWS Session Token [****************TOKN]: ", "new-token-value"),
        ("Default region name [None]: ", ""),
        ("Default output format [None]: ", ""),
    ]
    wizard_both(clis, envs, "temp", dialogue)
    files = same_files(envs)
    assert b"aws_session_token = new-token-value\n" in (files["credentials"] or b"")


@pytest.mark.parametrize("mode", [0o644, 0o604])
def test_credentials_file_others_can_read_is_warned_like_v2(
    clis: Clis, tmp_path: Path, mode: int
) -> None:
    envs = homes(clis, tmp_path)
    for env in envs.values():
        os.chmod(env["AWS_SHARED_CREDENTIALS_FILE"], mode)
    keys = clis.sandbox.static_keys["dev"]
    dialogue = [
        (f"AWS Access Key ID [****************{keys.access_key_id[-4:]}]: ", ACCESS_KEY),
        (f"AWS Secret Access Key [****************{keys.secret_access_key[-4:]}]: ", SECRET),
        ("Default region name [us-east-1]: ", ""),
        ("Default output format [json]: ", ""),
    ]
    transcripts = wizard_both(clis, envs, "dev", dialogue)
    same_files(envs)
    for tool, text in transcripts.items():
        path = envs[tool]["AWS_SHARED_CREDENTIALS_FILE"]
        assert f"{path} is accessible by other users" in text.replace("'", ""), tool
        assert os.stat(path).st_mode & 0o777 == mode


def test_private_credentials_file_is_not_warned(clis: Clis, tmp_path: Path) -> None:
    envs = homes(clis, tmp_path)
    keys = clis.sandbox.static_keys["dev"]
    dialogue = [
        (f"AWS Access Key ID [****************{keys.access_key_id[-4:]}]: ", ACCESS_KEY),
        (f"AWS Secret Access Key [****************{keys.secret_access_key[-4:]}]: ", SECRET),
        ("Default region name [us-east-1]: ", ""),
        ("Default output format [json]: ", ""),
    ]
    for text in wizard_both(clis, envs, "dev", dialogue).values():
        assert "accessible by other users" not in text


@pytest.mark.parametrize(
    "args",
    [
        ["region", "eu\nwest-1"],
        ["aws_secret_access_key", "abc\rdef"],
        ["reg\nion", "x"],
        ["region", "x", "--profile", "two\nlines"],
        ["s3.max_concurrent_requests", "1\n2"],
    ],
    ids=["value", "secret-cr", "key", "profile", "nested"],
)
def test_line_breaks_refused_like_v2(clis: Clis, args: list[str]) -> None:
    before = {p: p.read_bytes() for p in (clis.sandbox.config_file, clis.sandbox.credentials_file)}
    v2 = clis.v2("configure", "set", *args)
    ours = clis.awsprof("configure", "set", *args)
    assert v2.returncode != 0 and "newline characters" in v2.stderr
    assert ours.returncode == 2 and "line break" in ours.stderr
    assert "abc" not in ours.stderr and "def" not in ours.stderr  # a secret is never echoed
    for path, data in before.items():
        assert path.read_bytes() == data


# -- configure sso and sso-session ----------------------------------------------------------------

DOWN = "\x1b[B"


def sso_env(clis: Clis, root: Path, tool: str) -> dict[str, str]:
    """Each tool its own home (token cache included) and copy of the files; the SSO clients
    pointed at the sandbox's Identity Center by the AWS CLI's endpoint variables."""
    home = root / tool
    env = copy_home(clis.sandbox.aws_dir, home / ".aws")
    env.update(
        HOME=str(home),
        AWS_ENDPOINT_URL_SSO=clis.sandbox.idc_url,
        AWS_ENDPOINT_URL_SSO_OIDC=clis.sandbox.idc_url,
        BROWSER="true",
    )
    return env


def drive(
    clis: Clis, tool: str, args: list[str], steps: list[tuple[str, str]], env: dict[str, str]
) -> Run:
    """Like ``converse``, for prompt_toolkit's prompts: wait for each text (a prompt's words,
    without its trailing space), then send the keys as typed (``\\r`` ends a line)."""
    transcript = io.StringIO()
    child = pexpect.spawn(
        program(clis, tool),
        args,
        env=clis.sandbox.env(TERM="xterm", COLUMNS="120", LINES="40", **env),
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 120),
    )
    child.logfile_read = transcript
    for text, keys in steps:
        child.expect_exact(text)
        time.sleep(0.3)  # a picker draws itself after its title
        child.send(keys)
    child.expect(pexpect.EOF)
    child.close()
    return Run(child.exitstatus if child.exitstatus is not None else -1, transcript.getvalue())


def test_configure_sso_same_answers_same_bytes_as_v2(clis: Clis, tmp_path: Path) -> None:
    clis.sandbox.configure_identity_center(auto_approve=True)
    steps = [
        ("SSO session name (Recommended):", "new-org\r"),
        ("SSO start URL [None]:", clis.sandbox.start_url + "\r"),
        ("SSO region [None]:", "us-east-1\r"),
        ("SSO registration scopes [sso:account:access]:", "\r"),
        ("There are 6 AWS accounts available to you.", DOWN * 5 + "\r"),
        ("There are 2 roles available to you.", DOWN + "\r"),
        ("Default client Region [us-east-1]:", "eu-central-1\r"),
        ("CLI default output format (json if not specified) [json]:", "\r"),
        ("Profile name [ReadOnlyAccess-555566667777]:", "\r"),
    ]
    envs = {tool: sso_env(clis, tmp_path, tool) for tool in TOOLS}
    for tool in TOOLS:
        run = drive(
            clis, tool, ["configure", "sso", "--use-device-code", "--no-browser"], steps, envs[tool]
        )
        assert run.code == 0, (tool, run.transcript[-2000:])
    files = same_files(envs)
    assert (
        b"[profile ReadOnlyAccess-555566667777]\nsso_session = new-org\n"
        b"sso_account_id = 555566667777\nsso_role_name = ReadOnlyAccess\n"
        b"region = eu-central-1\noutput = json\n"
    ) in (files["config"] or b"")
    assert b"[sso-session new-org]\nsso_start_url = " in (files["config"] or b"")


def test_configure_sso_session_same_answers_same_bytes_as_v2(clis: Clis, tmp_path: Path) -> None:
    envs = {tool: sso_env(clis, tmp_path, tool) for tool in TOOLS}
    new = [
        ("SSO session name:", "other-org\r"),
        ("SSO start URL [None]:", "https://other.awsapps.com/start\r"),
        ("SSO region [None]:", "eu-west-1\r"),
        ("SSO registration scopes [sso:account:access]:", "\r"),
    ]
    existing = [
        ("SSO session name:", "my-org\r"),
        (f"SSO start URL [{clis.sandbox.start_url}]:", "\r"),
        ("SSO region [us-east-1]:", "us-west-2\r"),
        ("SSO registration scopes [sso:account:access]:", "\r"),
    ]
    for steps in (new, existing):
        for tool in TOOLS:
            run = drive(clis, tool, ["configure", "sso-session"], steps, envs[tool])
            assert run.code == 0, (tool, run.transcript[-2000:])
            assert "Completed configuring SSO session" in run.transcript
    config = same_files(envs)["config"] or b""
    assert b"[sso-session other-org]\nsso_start_url = https://other.awsapps.com/start\n" in config
    assert b"sso_region = us-west-2\n" in config


def test_configure_set_warns_for_a_credential_only_like_v2(clis: Clis, tmp_path: Path) -> None:
    """v2 checks the credentials file's mode when `configure set` writes a credential, not when
    it writes the config file."""
    envs = homes(clis, tmp_path)
    for tool, env in envs.items():
        os.chmod(env["AWS_SHARED_CREDENTIALS_FILE"], 0o644)
        os.chmod(env["AWS_CONFIG_FILE"], 0o644)
        run = clis.v2 if tool == "v2" else clis.awsprof
        region = run("configure", "set", "region", "eu-west-3", "--profile", "dev", env=env)
        assert region.returncode == 0 and "accessible by other users" not in region.stderr
        key = run("configure", "set", "aws_access_key_id", ACCESS_KEY, "--profile", "dev", env=env)
        assert key.returncode == 0
        path = env["AWS_SHARED_CREDENTIALS_FILE"]
        assert f"{path} is accessible by other users" in key.stderr.replace("'", ""), tool
    same_files(envs)
