"""The ``configure`` family's command contract: stdout, stderr and exit code checked separately.

Commands run in-process through ``awsprof.cli.main.run`` (the same entry the console script
uses); the autouse fixture gives each test a fresh HOME.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from awsprof.cli import fast
from awsprof.cli.app import run_click
from awsprof.cli.main import report, run
from awsprof.errors import AwsprofError

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
Result = tuple[int, str, str]


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> Result:
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def files(aws_dir: Path) -> Path:
    (aws_dir / "config").write_text(
        "[profile b]\nregion = eu-west-1\n"
        "[default]\nregion = us-east-1\noutput = json\n"
        "[profile dev]\nregion = eu-central-1\ns3 =\n    max_concurrent_requests = 10\n"
        "[profile 'a b']\nregion = ap-south-1\n"
        "[sso-session corp]\nsso_region = us-east-1\n"
        "[services local]\ns3 =\n    endpoint_url = http://127.0.0.1\n"
        "[plugins]\ncli_legacy_plugin_path = /opt/p\n"
    )
    (aws_dir / "credentials").write_text(
        "[c]\naws_access_key_id = AKIDC\n"
        "[dev]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = " + SECRET + "\n"
        "[z]\naws_access_key_id = AKIDZ\n"
    )
    return aws_dir


# -- list-profiles and get ------------------------------------------------------------------


def test_list_profiles_in_config_order_then_credentials_only(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(capsys, "configure", "list-profiles") == (0, "b\ndefault\ndev\na b\nc\nz\n", "")


def test_list_profiles_without_files_prints_nothing(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(capsys, "configure", "list-profiles") == (0, "", "")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["region"], (0, "us-east-1\n", "")),
        (["region", "--profile", "dev"], (0, "eu-central-1\n", "")),
        (["profile.dev.region"], (0, "eu-central-1\n", "")),
        (["default.output"], (0, "json\n", "")),
        (["region", "--profile", "a b"], (0, "ap-south-1\n", "")),
        (["s3.max_concurrent_requests", "--profile", "dev"], (0, "10\n", "")),
        (["aws_secret_access_key", "--profile", "dev"], (0, SECRET + "\n", "")),
        (["aws_access_key_id", "--profile", "c"], (0, "AKIDC\n", "")),
        (["sso_region", "--sso-session", "corp"], (0, "us-east-1\n", "")),
        (["plugins.cli_legacy_plugin_path"], (0, "/opt/p\n", "")),
        (["s3", "--profile", "dev"], (1, "", "")),
        (["s3", "--services", "local"], (1, "", "")),
        (["nope"], (1, "", "")),
        (["s3.nope", "--profile", "dev"], (1, "", "")),
    ],
    ids=[
        "default_profile",
        "named",
        "dotted_profile",
        "dotted_default",
        "quoted_name",
        "nested",
        "credentials_secret",
        "credentials_only_profile",
        "sso_session",
        "plugins",
        "nested_section_is_exit_1",
        "services_nested_is_exit_1",
        "unset_is_exit_1",
        "unset_nested_is_exit_1",
    ],
)
def test_configure_get(
    files: Path, capsys: pytest.CaptureFixture[str], argv: list[str], expected: Result
) -> None:
    assert cli(capsys, "configure", "get", *argv) == expected


def test_unknown_profile_is_exit_4_with_did_you_mean(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, "configure", "get", "region", "--profile", "deb")
    assert (code, out) == (4, "")
    assert "The config profile (deb) could not be found" in err
    assert "Did you mean `--profile dev`?" in err


def test_unknown_profile_from_aws_profile_is_exit_4(
    files: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_PROFILE", "deb")
    code, out, err = cli(capsys, "configure", "list")
    assert code == 4
    # As the AWS CLI v2 does: the header and the profile row are out before the error.
    assert out.splitlines()[1].startswith("profile    : deb ")
    assert "Did you mean `--profile dev`?" in err


def test_aws_profile_selects_the_profile(
    files: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_PROFILE", "dev")
    assert cli(capsys, "configure", "get", "region") == (0, "eu-central-1\n", "")


def test_quoted_profile_found_by_hot_lookup(
    aws_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression: the partial load for one name missed headers botocore unquotes."""
    (aws_dir / "config").write_text(
        "[profile 'it'\"'\"'s']\nregion = r1\n[profile a\"b\"]\nregion = r2\n"
    )
    assert cli(capsys, "configure", "get", "region", "--profile", "it's") == (0, "r1\n", "")
    assert cli(capsys, "configure", "get", "region", "--profile", "ab") == (0, "r2\n", "")


# -- list -------------------------------------------------------------------------------------


def test_configure_list_rows_with_masked_keys(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, "configure", "list", "--profile", "dev")
    assert (code, err) == (0, "")
    # The AWS CLI v2.36 layout, byte for byte (the trailing blanks included).
    assert out.splitlines() == [
        "NAME       : VALUE                    : TYPE             : LOCATION",
        "profile    : dev                      : manual           : --profile",
        "access_key : ****************MPLE     : shared-credentials-file : ",
        "secret_key : ****************EKEY     : shared-credentials-file : ",
        "region     : eu-central-1             : config-file      : ~/.aws/config",
    ]
    assert SECRET not in out


def test_configure_list_locations_names_file_and_line(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, "configure", "list", "--profile", "dev", "--locations")
    credentials, config = files / "credentials", files / "config"
    assert (code, err) == (0, "")
    assert out.splitlines()[2:] == [
        f"access_key : ****************MPLE     : shared-credentials-file : {credentials}:4",
        f"secret_key : ****************EKEY     : shared-credentials-file : {credentials}:5",
        f"region     : eu-central-1             : config-file      : {config}:7",
    ]


def test_configure_list_default_without_selection(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(capsys, "configure", "list")
    assert code == 0
    rows = [line.split(" : ") for line in out.splitlines()[1:]]
    assert [cell.strip() for cell in rows[0]] == ["profile", "<not set>", "None", "None"]
    assert [cell.strip() for cell in rows[1]] == ["access_key", "<not set>", "None", "None"]
    assert rows[3][1].strip() == "us-east-1"


# -- malformed files: exit 3, file and line, never the line's text ----------------------------

MALFORMED = {
    "line_without_equals": (f"[default]\nregion = a\naws_secret_access_key {SECRET}\n", 3),
    "duplicate_key": (
        f"[default]\naws_secret_access_key = {SECRET}\nAWS_SECRET_ACCESS_KEY = {SECRET}\n",
        3,
    ),
    "duplicate_section": (f"[default]\nk = {SECRET}\n[default]\n", 3),
    "bad_nested_line": (f"[default]\ns3 =\n    {SECRET}\n", 3),
    "key_before_section": (f"aws_secret_access_key = {SECRET}\n[default]\n", 1),
    "empty_key": (f"[default]\n = {SECRET}\n", 2),
    "bom": (f"\ufeff[default]\naws_secret_access_key = {SECRET}\n", 1),
}


@pytest.mark.parametrize("which", ["config", "credentials"])
@pytest.mark.parametrize(("text", "line"), MALFORMED.values(), ids=MALFORMED.keys())
@pytest.mark.parametrize(
    "argv",
    [
        ["configure", "get", "region"],
        ["configure", "list-profiles"],
        ["configure", "list"],
        ["configure", "set", "region", "x"],
        ["configure", "set", "aws_access_key_id", "AKIDNEW"],
    ],
    ids=["get", "list_profiles", "list", "set_config", "set_credentials"],
)
def test_malformed_file_is_exit_3_naming_file_and_line_never_its_text(
    aws_dir: Path,
    capsys: pytest.CaptureFixture[str],
    which: str,
    text: str,
    line: int,
    argv: list[str],
) -> None:
    path = aws_dir / which
    path.write_bytes(text.encode())
    writes_other_file = argv[:2] == ["configure", "set"] and (
        (which == "config") == (argv[2] == "aws_access_key_id")
    )
    code, out, err = cli(capsys, *argv)
    assert path.read_bytes() == text.encode()  # never edited, never "repaired"
    if writes_other_file:
        assert code == 0  # the other file is fine; this one is not read by a set
        return
    assert code == 3
    assert out == ""
    assert f"{path}, line {line}:" in err
    assert SECRET not in err
    assert SECRET[-20:] not in err


def test_non_utf8_file_is_exit_3_with_line(
    aws_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = b"[default]\nregion = a\naws_secret_access_key = \xff" + SECRET.encode() + b"\n"
    (aws_dir / "credentials").write_bytes(data)
    for argv in (["configure", "get", "region"], ["configure", "set", "aws_access_key_id", "A"]):
        code, out, err = cli(capsys, *argv)
        assert (code, out) == (3, "")
        assert f"{aws_dir / 'credentials'}, line 3:" in err
        assert SECRET not in err
    assert (aws_dir / "credentials").read_bytes() == data


def test_refusing_duplicates_leaves_file_byte_identical(
    aws_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = b"[default]\r\nregion = a\r\n[profile x]\r\n[default]\r\noutput = j"
    (aws_dir / "config").write_bytes(data)
    code, out, err = cli(capsys, "configure", "set", "region", "b")
    assert (code, out) == (3, "")
    assert f"{aws_dir / 'config'}, line 4:" in err
    assert (aws_dir / "config").read_bytes() == data
    assert sorted(p.name for p in aws_dir.iterdir() if "tmp" in p.name) == []


# -- set ---------------------------------------------------------------------------------------


def test_set_routes_credential_keys_to_credentials_file(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (
        ["aws_access_key_id", "AKIDEXAMPLE"],
        ["aws_secret_access_key", SECRET],
        ["aws_session_token", "TOKEN"],
        ["region", "eu-west-1"],
    ):
        assert cli(capsys, "configure", "set", *argv, "--profile", "dev") == (0, "", "")
    aws = isolated_home / ".aws"
    assert (aws / "config").read_text() == "[profile dev]\nregion = eu-west-1\n"
    assert (aws / "credentials").read_text() == (
        f"[dev]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = {SECRET}\n"
        "aws_session_token = TOKEN\n"
    )


def test_set_secret_from_stdin_never_in_argv(
    isolated_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(SECRET + "\n"))
    assert cli(capsys, "configure", "set", "aws_secret_access_key", "--profile", "dev") == (
        0,
        "",
        "",
    )
    assert SECRET in (isolated_home / ".aws" / "credentials").read_text()


def test_set_without_value_for_plain_key_is_usage_error(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(capsys, "configure", "set", "region")
    assert (code, out) == (2, "")


@pytest.mark.parametrize(
    "argv",
    [
        ["configure", "set", "a.b.c.d", "v"],
        ["configure", "set", "profile.x", "v"],
        ["configure", "set", "x", "v", "--sso-session", "a", "--services", "b"],
        ["configure", "set", "aws_access_key_id", "AKID", "--profile", "DEFAULT"],
    ],
    ids=["nests_two_levels", "profile_without_key", "two_targets", "credentials_default_section"],
)
def test_set_usage_errors_are_exit_2_and_write_nothing(
    isolated_home: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, out, _ = cli(capsys, *argv)
    assert (code, out) == (2, "")
    aws = isolated_home / ".aws"
    assert not (aws / "config").exists()
    assert not (aws / "credentials").exists()


def test_profile_named_uppercase_default_never_leaks_keys_to_other_profiles(
    aws_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression: `--profile DEFAULT` wrote [DEFAULT] in the credentials file, which hands
    its access key to every other profile there."""
    (aws_dir / "credentials").write_text("[other]\naws_secret_access_key = S\n")
    code, _, _ = cli(
        capsys, "configure", "set", "aws_access_key_id", "AKID", "--profile", "DEFAULT"
    )
    assert code == 2
    assert cli(capsys, "configure", "get", "aws_access_key_id", "--profile", "other")[0] == 1


# -- fast path against click path --------------------------------------------------------------

FAST_CASES = [
    ["configure", "list-profiles"],
    ["configure", "get", "region"],
    ["configure", "get", "region", "--profile", "dev"],
    ["configure", "get", "--profile", "dev", "region"],
    ["configure", "get", "region", "--profile=dev"],
    ["configure", "get", "region", "--profile", "a b"],
    ["configure", "get", "s3", "--profile", "dev"],
    ["configure", "get", "s3.max_concurrent_requests", "--profile", "dev"],
    ["configure", "get", "profile.dev.region"],
    ["configure", "get", "default.output"],
    ["configure", "get", "nope"],
    ["configure", "get", "region", "--profile", "deb"],
    ["configure", "get", "region", "--profile", "zzzzzzzz"],
    ["configure", "get", "sso_region", "--sso-session", "corp"],
    ["configure", "get", "sso_region", "--sso-session", "nope"],
    ["configure", "get", "s3", "--services", "local"],
    ["configure", "get", "x", "--sso-session", "a", "--services", "b"],
    ["configure", "get", "a.b.c.d"],
    ["configure", "get", "profile.x"],
    ["configure", "get", "re\ngion"],
    ["configure", "get", "aws_secret_access_key", "--profile", "dev"],
    ["configure", "get", "plugins.cli_legacy_plugin_path"],
]


def via(path: str, argv: list[str]) -> int:
    try:
        code = fast.dispatch(argv) if path == "fast" else run_click(argv)
    except AwsprofError as error:
        return report(error, debug=False)
    assert code is not None, "the fast path must answer this command line itself"
    return code


@pytest.mark.parametrize("broken", [False, True], ids=["good_files", "malformed_file"])
@pytest.mark.parametrize("argv", FAST_CASES, ids=[" ".join(a[1:]) for a in FAST_CASES])
def test_fast_path_matches_click_path(
    files: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    broken: bool,
) -> None:
    if broken:
        with (files / "credentials").open("a") as handle:
            handle.write("[c]\n")
    click_result = (via("click", argv), *capsys.readouterr())
    fast_result = (via("fast", argv), *capsys.readouterr())
    assert fast_result == click_result
    assert fast_result == cli(capsys, *argv)


def test_fast_path_matches_click_path_with_aws_profile(
    files: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for value in ("dev", "deb"):
        monkeypatch.setenv("AWS_PROFILE", value)
        argv = ["configure", "get", "region"]
        click_result = (via("click", argv), *capsys.readouterr())
        assert (via("fast", argv), *capsys.readouterr()) == click_result


# -- hot path imports ------------------------------------------------------------------------

HEAVY = ("botocore", "click", "rich", "filelock", "prompt_toolkit")


@pytest.mark.parametrize(
    "argv",
    [["configure", "list-profiles"], ["configure", "get", "region", "--profile", "dev"]],
    ids=["list_profiles", "get"],
)
def test_hot_path_imports_nothing_heavy(files: Path, argv: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "awsprof", *argv],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=True,
    )
    assert result.stdout
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert imported, "importtime printed nothing"
    heavy = {name for name in imported if name.split(".")[0] in HEAVY}
    assert heavy == set()
