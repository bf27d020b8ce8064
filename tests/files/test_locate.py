"""Where the two files are: the override variables, ``~`` and ``$VAR`` expansion, Windows homes."""

from __future__ import annotations

import os
from pathlib import PurePosixPath, PureWindowsPath

import botocore.session
import pytest

from awsprof.files import locate


def test_defaults_are_under_home() -> None:
    env = {"HOME": "/home/u"}
    assert locate.config_file(env, "linux") == PurePosixPath("/home/u/.aws/config")
    assert locate.credentials_file(env, "linux") == PurePosixPath("/home/u/.aws/credentials")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("~/cfg", "/home/u/cfg"),
        ("~", "/home/u"),
        ("$DIR/config", "/srv/aws/config"),
        ("${DIR}/config", "/srv/aws/config"),
        ("$UNKNOWN/config", "$UNKNOWN/config"),
        ("${UNKNOWN}/config", "${UNKNOWN}/config"),
        ("~other/config", "~other/config"),
        ("/abs/~/x", "/abs/~/x"),
        ("$HOME/.aws/c", "/home/u/.aws/c"),
    ],
    ids=[
        "tilde",
        "bare_tilde",
        "dollar_var",
        "braced_var",
        "unknown_var_left_as_written",
        "unknown_braced_var_left_as_written",
        "tilde_user_left_alone",
        "tilde_inside_path_left_alone",
        "home_var",
    ],
)
def test_override_paths_are_expanded(raw: str, expected: str) -> None:
    env = {"HOME": "/home/u", "DIR": "/srv/aws", "AWS_CONFIG_FILE": raw}
    env["AWS_SHARED_CREDENTIALS_FILE"] = raw
    assert locate.config_file(env, "linux") == PurePosixPath(expected)
    assert locate.credentials_file(env, "linux") == PurePosixPath(expected)


def test_empty_override_means_default() -> None:
    env = {"HOME": "/home/u", "AWS_CONFIG_FILE": ""}
    assert locate.config_file(env, "linux") == PurePosixPath("/home/u/.aws/config")


def test_same_files_as_botocore_on_this_machine(
    monkeypatch: pytest.MonkeyPatch, isolated_home: object
) -> None:
    monkeypatch.setenv("AWSPROF_TEST_DIR", "/srv/x")
    monkeypatch.setenv("AWS_CONFIG_FILE", "$AWSPROF_TEST_DIR/config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "~/creds")
    session = botocore.session.Session()
    expand = lambda p: os.path.expanduser(os.path.expandvars(p))  # noqa: E731 - botocore's rule
    config, credentials = locate.aws_files(os.environ)
    assert str(config) == expand(session.get_config_variable("config_file"))
    assert str(credentials) == expand(session.get_config_variable("credentials_file"))


def test_windows_userprofile_wins_over_home() -> None:
    env = {"HOME": "C:\\msys\\home", "USERPROFILE": "C:\\Users\\u"}
    assert locate.config_file(env, "win32") == PureWindowsPath("C:\\Users\\u\\.aws\\config")
    assert locate.home_dir(env, "win32") == "C:\\Users\\u"


def test_windows_homedrive_homepath_fallback() -> None:
    env = {"HOME": "C:\\msys\\home", "HOMEDRIVE": "D:", "HOMEPATH": "\\Users\\u"}
    assert locate.credentials_file(env, "win32") == PureWindowsPath(
        "D:\\Users\\u\\.aws\\credentials"
    )


def test_windows_home_alone_is_ignored() -> None:
    with pytest.raises(OSError, match="USERPROFILE"):
        locate.config_file({"HOME": "C:\\msys\\home"}, "win32")


def test_windows_expands_percent_and_backslash_tilde() -> None:
    env = {"USERPROFILE": "C:\\Users\\u", "APPDATA": "C:\\Users\\u\\AppData"}
    env["AWS_CONFIG_FILE"] = "%APPDATA%\\aws\\config"
    env["AWS_SHARED_CREDENTIALS_FILE"] = "~\\creds"
    assert locate.config_file(env, "win32") == PureWindowsPath("C:\\Users\\u\\AppData\\aws\\config")
    assert locate.credentials_file(env, "win32") == PureWindowsPath("C:\\Users\\u\\creds")
    env["AWS_CONFIG_FILE"] = "%NOPE%\\config"
    assert locate.config_file(env, "win32") == PureWindowsPath("%NOPE%\\config")


def test_posix_ignores_userprofile() -> None:
    env = {"HOME": "/home/u", "USERPROFILE": "/elsewhere"}
    assert locate.home_dir(env, "linux") == "/home/u"
