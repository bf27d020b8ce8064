"""The guard parses JSON payloads with the standard library's C scanner without importing json:
every text must give json.loads's value, or json.loads's own error."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from awsprof.guard.jsonread import loads

_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=15,
)
_texts = (
    st.builds(lambda v, i: json.dumps(v, indent=i), _values, st.sampled_from([None, 0, 2]))
    | st.builds(
        lambda v, pad: pad + json.dumps(v) + pad,
        _values,
        st.sampled_from(["", " \n", "\t", "\u00a0"]),
    )
    | st.builds(lambda v, cut: json.dumps(v)[:cut], _values, st.integers(0, 40))
    | st.text(alphabet='{}[]":,0123456789.eE+- truefalsnNaIiy\\u\n', max_size=30)
)


def _outcome(parse: object, text: str) -> tuple[str, str]:
    try:
        value = parse(text)  # type: ignore[operator]
    except Exception as error:
        return type(error).__name__, str(error)
    return "value", repr(value) if not isinstance(value, float) or not math.isnan(value) else "nan"


@given(_texts)
@example('{"Changes": [{"Action": "DELETE"}]}')
@example("  [1, 2.5e3, -0, NaN, Infinity, -Infinity]  ")
@example('{"a": 1} x')
@example("\ufeff{}")
@example("")
@example("[" * 5000 + "]" * 5000)
def test_loads_is_json_loads(text: str) -> None:
    assert _outcome(loads, text) == _outcome(json.loads, text)


def test_a_payload_file_is_read_without_importing_json(tmp_path: Path) -> None:
    (tmp_path / "config").write_text("[profile dev]\nregion = us-east-1\n")
    batch = tmp_path / "batch.json"
    batch.write_text('{"Changes": [{"Action": "DELETE", "ResourceRecordSet": {"Name": "a."}}]}')
    code = (
        "import sys; from awsprof.cli.main import run; "
        "code = run(['guard', '--dry-run', '--', 'aws', 'route53', "
        "'change-resource-record-sets', '--hosted-zone-id', 'Z1', "
        f"'--change-batch', 'file://{batch}', '--profile', 'dev']); "
        "assert code == 0, code; assert 'json' not in sys.modules, 'json imported'"
    )
    env = {
        "AWS_CONFIG_FILE": str(tmp_path / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "c"),
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    # The first run reads route53's model from botocore once (with json) into awsprof's cache.
    subprocess.run([sys.executable, "-c", code.replace("assert 'json'", "0 and 'json'")], env=env)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["classification"]["kind"] == "destructive"
