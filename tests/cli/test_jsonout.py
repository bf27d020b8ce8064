"""The dry run's JSON is written without importing json: the text must be json.dumps's exactly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from awsprof.cli.jsonout import dumps

_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
    | st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126))
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        | st.dictionaries(st.integers(), inner, max_size=2)
    ),
    max_leaves=20,
)


@given(_values)
def test_dry_run_json_text_is_json_dumps_indent_2(value: object) -> None:
    assert dumps(value) == json.dumps(value, indent=2)


def test_strings_json_escapes_go_through_json() -> None:
    for text in ['say "hi"', "back\\slash", "tab\there", "caf\u00e9", "\x7f", "\U0001f600", ""]:
        assert dumps({"k": text}) == json.dumps({"k": text}, indent=2)


def test_the_guard_dry_run_does_not_import_json(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.write_text("[profile dev]\nregion = us-east-1\n")
    code = (
        "import sys; from awsprof.cli.main import run; "
        "code = run(['guard', '--dry-run', '--', 'aws', 's3', 'ls', '--profile', 'dev']); "
        "assert code == 0, code; assert 'json' not in sys.modules, 'json imported'"
    )
    env = {
        "AWS_CONFIG_FILE": str(config),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "c"),
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["profile"] == "dev"
