"""--query and --output as the AWS CLI has them: whoami side by side with the real `aws` (v1, from
this environment) against the sandbox, and the text form against shapes whoami cannot produce."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from awsprof.cli.structured import check_query, render, text
from awsprof.errors import UsageError
from fixtures_sandbox import BIN_DIR, Sandbox
from resolution.helpers import awsprof

QUERIES = [
    "Account",
    "[Account, Arn]",
    "{Id: Account, Who: Arn}",
    "Nope",
    "[Account]",
    "length(Arn)",
    "Arn == 'x'",
]


@pytest.mark.parametrize("output", ["text", "json", "table"])
def test_whoami_query_prints_what_the_aws_cli_prints(sandbox: Sandbox, output: str) -> None:
    for query in QUERIES:
        args = ("--profile", "dev", "--query", query, "--output", output)
        ours = awsprof(sandbox.env(), "whoami", *args)
        theirs = sandbox.run_aws("sts", "get-caller-identity", *args)
        assert theirs.returncode == 0, theirs.stderr
        assert (ours.returncode, ours.stdout) == (0, theirs.stdout), query


def test_the_script_habit_prints_only_the_account(sandbox: Sandbox) -> None:
    done = awsprof(sandbox.env(), "whoami", "--query", "Account", "--output", "text")
    assert (done.returncode, done.stdout) == (0, sandbox.accounts["default"] + "\n")


def test_output_comes_from_the_environment_then_the_profile(sandbox: Sandbox) -> None:
    """As the AWS CLI picks it: --output, AWS_DEFAULT_OUTPUT, the profile's `output`, json."""
    assert (
        sandbox.run_aws("configure", "set", "output", "table", "--profile", "dev").returncode == 0
    )
    for extra, first in (({}, "-"), ({"AWS_DEFAULT_OUTPUT": "text"}, sandbox.accounts["dev"])):
        env = sandbox.env(**extra)
        ours = awsprof(env, "whoami", "--profile", "dev")
        theirs = subprocess.run(
            [str(BIN_DIR / "aws"), "sts", "get-caller-identity", "--profile", "dev"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert theirs.returncode == 0, theirs.stderr
        assert (ours.returncode, ours.stdout) == (0, theirs.stdout), extra
        assert ours.stdout.startswith(first)  # the table, then text (Account first)
    bogus = awsprof(sandbox.env(AWS_DEFAULT_OUTPUT="yaml-stream"), "whoami", "--profile", "dev")
    assert bogus.returncode == 2
    assert "AWS_DEFAULT_OUTPUT is 'yaml-stream'" in bogus.stderr


def test_a_bad_query_is_a_usage_error_before_any_call(aws_dir: Path) -> None:
    # No profile at all: a call would fail with exit 4; the query is refused first.
    env = {**os.environ, "AWS_CONFIG_FILE": str(aws_dir / "config")}
    done = subprocess.run(
        [sys.executable, "-m", "awsprof", "whoami", "--query", "[["],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "bad value for --query '[['" in done.stderr
    with pytest.raises(UsageError):
        check_query("foo[")


NESTED = {
    "L": [{"a": 1, "b": None, "c": True}, {"a": 2, "d": [1, 2]}],
    "x": "y",
    "M": {"k": "v", "N": {"deep": [["p", "q"], "r"]}},
}


@pytest.mark.parametrize(
    "data",
    [NESTED, [1, "a", None], [], {}, "plain", None, [[1, 2], 3, [4, [5]]]],
    ids=["nested", "scalars", "empty_list", "empty_map", "scalar", "null", "mixed"],
)
def test_text_form_matches_the_aws_cli_formatter(data: object) -> None:
    """The AWS CLI's own text formatter (awscli, installed for the tests) is the reference."""
    import io

    from awscli.text import format_text

    expected = io.StringIO()
    format_text(data, expected)
    assert text(data) == expected.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        {"Account": "222233334444", "Arn": "arn:aws:iam::222233334444:user/alice"},
        {"Only": "one"},
        ["a", 1, None, True],
        [["a", "b"], ["ccc", "d"]],
        [{"a": 1, "b": "x"}, {"a": 22, "b": "yy", "c": None}],
        [{"id": "D001", "severity": "warning", "profile": None, "fixable": False}],
        "scalar",
        7,
        False,
        [],
        {},
        None,
    ],
    ids=[
        "record",
        "one_key",
        "values",
        "rows",
        "records",
        "finding",
        "scalar",
        "number",
        "false",
        "empty_list",
        "empty_map",
        "null",
    ],
)
def test_table_form_matches_the_aws_cli_formatter(
    data: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The AWS CLI's own table formatter (awscli, installed for the tests) is the reference."""
    import argparse
    import io

    import jmespath
    from awscli.formatter import get_formatter

    # As aws runs it: the response, then --query (here selecting the shape under test).
    expected = io.StringIO()
    args = argparse.Namespace(query=jmespath.compile("v"), color="off")
    get_formatter("table", args)("Title", {"v": data}, expected)
    assert render(data, "table", "Title") == expected.getvalue()


def test_table_of_a_shape_it_cannot_draw_names_the_other_outputs() -> None:
    with pytest.raises(UsageError, match="flat result"):
        render(NESTED, "table", "GetCallerIdentity")


HEAVY = ("botocore", "click", "rich", "jmespath")


def _imported(env: dict[str, str], *argv: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "awsprof", *argv],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}


def test_globals_anywhere_keep_the_hot_path_lean(aws_dir: Path) -> None:
    (aws_dir / "config").write_text("[profile dev]\nregion = eu-west-1\n")
    (aws_dir / "credentials").write_text(
        "[dev]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = secret\n"
    )
    env = os.environ.copy()
    for argv in (
        ["--profile", "dev", "configure", "get", "region"],
        ["configure", "--profile=dev", "get", "region"],
        ["configure", "export-credentials", "--profile", "dev", "--region", "eu-west-1"],
        ["--region", "eu-west-1", "configure", "export-credentials", "--profile", "dev"],
    ):
        heavy = {m for m in _imported(env, *argv) if m.split(".")[0] in HEAVY}
        assert heavy == set(), argv


def _awsprof_here(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "awsprof", *argv],
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=False,
    )


CONFIG_WITH_FINDINGS = """\
[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
[profile lab]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = ReadOnly
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
"""


@pytest.mark.parametrize(
    ("argv", "query"),
    [
        (["doctor"], "[].id"),
        (["doctor"], "[?severity=='warning'].[id, profile]"),
        (["sso", "sessions"], "sessions[0]"),
        (["sso", "sessions"], "length(sessions)"),
    ],
    ids=["doctor_ids", "doctor_filter", "sessions_first", "sessions_count"],
)
def test_query_on_commands_with_their_own_text_form(
    aws_dir: Path, argv: list[str], query: str
) -> None:
    """--query applies to the command's JSON form; the text form is the AWS CLI's formatter's."""
    import io

    import jmespath
    from awscli.text import format_text

    (aws_dir / "config").write_text(CONFIG_WITH_FINDINGS)
    whole = _awsprof_here(*argv, "--output", "json")
    expected_data = jmespath.search(query, __import__("json").loads(whole.stdout))
    expected = io.StringIO()
    format_text(expected_data, expected)
    for line in (
        [*argv, "--query", query, "--output", "text"],
        ["--output", "text", *argv, "--query", query],
    ):
        done = _awsprof_here(*line)
        assert (done.returncode, done.stdout) == (whole.returncode, expected.getvalue()), line
    assert expected.getvalue().strip(), "the query must select something"


def test_query_is_refused_where_there_is_no_structured_output(aws_dir: Path) -> None:
    # `configure get` mirrors the AWS CLI v2, which takes and ignores it
    # (tests/awscli_v2/test_v2_globals.py); awsprof's own commands refuse it.
    done = _awsprof_here("shell-init", "bash", "--query", "x")
    assert done.returncode == 2
