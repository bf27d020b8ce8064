"""Every AWSPROF_* variable is checked (issue 12, case 6): a bad value is a usage error (exit 2)
naming the variable and what it accepts, never a crash."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from awsprof import settings

AWSPROF = str(Path(sys.executable).with_name("awsprof"))
SRC = Path(settings.__file__).parent


def awsprof(*argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [AWSPROF, *argv],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=30,
        check=False,
    )


@pytest.mark.parametrize("value", ["abc", "nan", "inf", "-inf", "-1", "0", "1e9", " "])
@pytest.mark.parametrize(
    "variable", [settings.CREDENTIAL_PROCESS_TIMEOUT, settings.SSO_LOGIN_TIMEOUT]
)
def test_bad_timeout_is_a_usage_error_naming_the_variable(variable: str, value: str) -> None:
    done = awsprof("configure", "list-profiles", **{variable: value})
    assert done.returncode == 2, done.stderr
    assert f"{variable} is set to a value awsprof cannot use" in done.stderr
    assert "a number of seconds above 0" in done.stderr
    assert "Traceback" not in done.stderr


def test_bad_timeout_reaches_the_library_as_a_usage_error(aws_dir: Path) -> None:
    """Callers of the core (not only the command line) get the same error."""
    from awsprof.errors import UsageError
    from awsprof.profiles.model import load_files
    from awsprof.resolution.chain import make_context

    environ = {"HOME": str(aws_dir.parent), settings.CREDENTIAL_PROCESS_TIMEOUT: "nan"}
    with pytest.raises(UsageError, match=settings.CREDENTIAL_PROCESS_TIMEOUT):
        make_context(environ, load_files(environ), None, None)


@pytest.mark.parametrize(
    ("variable", "value", "accepted"),
    [
        ("AWSPROF_QUIET_DEFAULT", "maybe", "'1', 'true'"),
        ("AWSPROF_CONFIRM_ACCOUNT", "prod", "a 12-digit AWS account ID"),
        ("AWSPROF_USE_UNTIL", "tomorrow", "a Unix time in whole seconds"),
    ],
)
def test_other_bad_settings_are_usage_errors(variable: str, value: str, accepted: str) -> None:
    done = awsprof("prompt", **{variable: value})
    assert done.returncode == 2, done.stderr
    assert variable in done.stderr
    assert accepted in done.stderr


def test_good_values_are_accepted() -> None:
    done = awsprof(
        "configure",
        "list-profiles",
        AWSPROF_CREDENTIAL_PROCESS_TIMEOUT="2.5",
        AWSPROF_SSO_LOGIN_TIMEOUT="600",
        AWSPROF_QUIET_DEFAULT="yes",
        AWSPROF_CONFIRM_ACCOUNT="123456789012",
    )
    assert done.returncode == 0, done.stderr


def test_every_awsprof_variable_in_the_source_is_checked() -> None:
    """A new AWSPROF_* variable must be declared with its accepted values."""
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        found |= set(re.findall(r"AWSPROF_[A-Z][A-Z_]*[A-Z]", path.read_text(encoding="utf-8")))
    assert found, "the scan found nothing: the pattern is wrong"
    assert found - set(settings.VARIABLES) == set()
