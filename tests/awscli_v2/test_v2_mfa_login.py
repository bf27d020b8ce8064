"""``configure mfa-login`` side by side with the AWS CLI v2 (2.36) against the sandbox, in a
terminal: the same prompts, the same answers, the same bytes in the credentials and config files.

moto answers every GetSessionToken with the same example keys, so the files are compared byte for
byte; only the printed expiry time differs between the two runs.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from v2_terminal import TOOLS, converse, file_bytes, homes

from fixtures_awscli_v2 import Clis

SERIAL = "arn:aws:iam::222233334444:mfa/alice"
CODE = "123456"


def result_lines(transcript: str) -> list[str]:
    """The three lines of the result, the time replaced by its shape."""
    lines = transcript.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Temporary credentials"))
    shown = lines[start : start + 3]
    shown[1] = re.sub(r"\d", "9", shown[1])
    return shown


def both(
    clis: Clis, tmp_path: Path, args: list[str], dialogue: list[tuple[str, str]]
) -> dict[str, tuple[int, str, dict[str, bytes | None]]]:
    envs = homes(clis, tmp_path)
    done = {}
    for tool in TOOLS:
        run = converse(clis, tool, ["configure", "mfa-login", *args], dialogue, envs[tool])
        done[tool] = (run.code, run.transcript, file_bytes(envs[tool]))
    return done


def test_new_profile_named_after_the_device_same_bytes_as_v2(clis: Clis, tmp_path: Path) -> None:
    dialogue = [
        ("MFA serial number or ARN: ", SERIAL),
        ("MFA token code: ", CODE),
        ("Profile to update [222233334444-alice]: ", ""),
    ]
    done = both(clis, tmp_path, ["--profile", "dev"], dialogue)
    (v2_code, v2_text, v2_files), (code, text, files) = done["v2"], done["awsprof"]
    assert v2_code == 0, v2_text
    assert code == 0, text
    assert files == v2_files
    credentials = (files["credentials"] or b"").decode()
    assert "[222233334444-alice]\naws_access_key_id = " in credentials
    assert "aws_session_token = " in credentials
    assert result_lines(text) == result_lines(v2_text)
    assert CODE not in text  # awsprof reads the code without echo


def test_existing_profile_updated_in_place_with_serial_from_config(
    clis: Clis, tmp_path: Path
) -> None:
    """``mfa_serial`` of the profile is used without a prompt; the chosen profile's section is
    edited in place (its comment and other keys kept), like the AWS CLI v2 does."""
    config = clis.sandbox.config_file
    config.write_text(
        config.read_text().replace("[profile dev]\n", "[profile dev]\nmfa_serial = GAHT12345678\n")
    )
    with clis.sandbox.credentials_file.open("a") as handle:
        handle.write(
            "\n# renewed every morning\n[session-GAHT12345678]\nregion_hint = kept\n"
            "aws_access_key_id = ASIAOLDOLDOLDOLDOLD1\naws_session_token = old-token\n"
        )
    dialogue = [("MFA token code: ", CODE), ("Profile to update [session-GAHT12345678]: ", "")]
    done = both(clis, tmp_path, ["--profile", "dev"], dialogue)
    assert done["v2"][0] == 0, done["v2"][1]
    assert done["awsprof"][0] == 0, done["awsprof"][1]
    assert done["awsprof"][2] == done["v2"][2]
    credentials = (done["awsprof"][2]["credentials"] or b"").decode()
    assert "# renewed every morning\n[session-GAHT12345678]\nregion_hint = kept\n" in credentials
    assert "old-token" not in credentials and "ASIAOLDOLDOLDOLDOLD1" not in credentials
    assert "MFA serial number" not in done["awsprof"][1]


def test_options_skip_the_prompts_like_v2(clis: Clis, tmp_path: Path) -> None:
    args = ["--profile", "dev", "--serial-number", SERIAL, "--update-profile", "dev-mfa"]
    args += ["--duration-seconds", "3600"]
    done = both(clis, tmp_path, args, [("MFA token code: ", CODE)])
    assert done["v2"][0] == 0 and done["awsprof"][0] == 0, (done["v2"][1], done["awsprof"][1])
    assert done["awsprof"][2] == done["v2"][2]
    assert b"[dev-mfa]\n" in (done["v2"][2]["credentials"] or b"")
    for tool in TOOLS:
        assert "Profile to update" not in done[tool][1]


def test_profile_without_credentials_asks_for_keys_like_v2(clis: Clis, tmp_path: Path) -> None:
    """No credentials for the profile: both ask for the keys first, then call STS from a plain
    session (the [default] profile's endpoint, here the sandbox)."""
    with clis.sandbox.config_file.open("a") as handle:
        handle.write("\n[profile bare]\nregion = eu-west-1\n")
    keys = clis.sandbox.static_keys["dev"]
    dialogue = [
        ("AWS Access Key ID: ", keys.access_key_id),
        ("AWS Secret Access Key: ", keys.secret_access_key),
        ("MFA serial number or ARN: ", "GAHT12345678"),
        ("MFA token code: ", CODE),
        ("Profile to update [session-GAHT12345678]: ", "typed"),
    ]
    done = both(clis, tmp_path, ["--profile", "bare"], dialogue)
    for tool in TOOLS:
        assert done[tool][0] == 0, done[tool][1]
        assert "Please provide your AWS credentials:" in done[tool][1]
    assert done["awsprof"][2] == done["v2"][2]
    assert b"[typed]\n" in (done["v2"][2]["credentials"] or b"")
    assert result_lines(done["awsprof"][1]) == result_lines(done["v2"][1])
    assert keys.secret_access_key not in done["awsprof"][1]


def test_empty_code_writes_nothing_in_either(clis: Clis, tmp_path: Path) -> None:
    args = ["--profile", "dev", "--serial-number", SERIAL]
    done = both(clis, tmp_path, args, [("MFA token code: ", "")])
    before = {
        "config": clis.sandbox.config_file.read_bytes(),
        "credentials": clis.sandbox.credentials_file.read_bytes(),
    }
    assert done["v2"][0] == 1 and "MFA token code is required" in done["v2"][1]
    assert done["awsprof"][0] == 2 and "MFA token code is required" in done["awsprof"][1]
    for tool in TOOLS:
        assert done[tool][2] == before


def test_duration_outside_sts_limits_is_refused_before_any_prompt(clis: Clis) -> None:
    done = clis.awsprof("configure", "mfa-login", "--duration-seconds", "100", "--profile", "dev")
    assert done.returncode == 2
    assert "900" in done.stderr and "129600" in done.stderr
    assert "MFA" not in done.stderr  # nothing was asked


def test_unknown_profile_fails_in_both(clis: Clis) -> None:
    v2 = clis.v2("configure", "mfa-login", "--profile", "nope")
    ours = clis.awsprof("configure", "mfa-login", "--profile", "nope")
    assert v2.returncode != 0 and ours.returncode == 4
    for done in (v2, ours):
        assert "The config profile (nope) could not be found" in done.stderr


def test_refuses_to_overwrite_the_long_term_keys_it_uses(clis: Clis) -> None:
    """A deliberate difference (docs/compatibility.md): the AWS CLI v2 writes the temporary keys
    over the long-term ones of ``--update-profile dev`` when dev is also the source."""
    before = clis.sandbox.credentials_file.read_bytes()
    run = converse(
        clis,
        "awsprof",
        ["configure", "mfa-login", "--profile", "dev", "--update-profile", "dev"],
        [("MFA serial number or ARN: ", SERIAL), ("MFA token code: ", CODE)],
    )
    assert run.code == 2
    assert "holds the long-term keys" in run.transcript
    assert clis.sandbox.credentials_file.read_bytes() == before


@pytest.mark.parametrize("mode", [0o644, 0o640])
def test_credentials_file_readable_by_others_is_warned_like_v2(
    clis: Clis, tmp_path: Path, mode: int
) -> None:
    envs = homes(clis, tmp_path)
    for tool in TOOLS:
        os.chmod(envs[tool]["AWS_SHARED_CREDENTIALS_FILE"], mode)
        run = converse(
            clis,
            tool,
            ["configure", "mfa-login", "--profile", "dev", "--serial-number", SERIAL],
            [("MFA token code: ", CODE), ("Profile to update [222233334444-alice]: ", "")],
            envs[tool],
        )
        assert run.code == 0, run.transcript
        path = envs[tool]["AWS_SHARED_CREDENTIALS_FILE"]
        assert f"{path} is accessible by other users" in run.transcript.replace("'", "")
        assert f"chmod 600 {path}" in run.transcript
        assert os.stat(path).st_mode & 0o777 == mode  # warned, never changed behind one's back
