"""doctor's file checks on a plain file's text give, finding for finding, what they give on
every parsed section.

A generated config of 100,000 profiles is checked on its text: only the sections that can have
a finding (a key that has one whatever its value, an odd value, a header that is not a simple
``profile NAME``) are read. These tests hold that shortcut to the section-by-section checks.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from awsprof.doctor import file_checks
from awsprof.files import ini
from awsprof.profiles.model import Deferred

HEADERS = [
    "[default]",
    "[profile default]",
    "[profile a]",
    "[profile b]",
    "[profile prod-1]",
    "[profile a b]",
    "[profile 'q r']",
    "[profilex]",
    "[sso-session org]",
    "[sso-session x y]",
    "[services s]",
    "[plugins]",
    "[awsprof-tier prod]",
    "[a]",
    "[profile c] # note",
]
KEY_LINES = [
    "region = us-east-1",
    "REGION = eu-west-1",
    "output = json",
    "sso_session = org",
    "sso_account_id = 123456789012",
    "sso_start_url = https://x/start",
    "sso_region = us-east-1",
    "sso_registration_scopes = sso:account:access",
    "aws_access_key_id = AKIAEXAMPLE",
    "aws_secret_access_key = secret",
    "aws_session_token = token",
    "regoin = us-east-1",
    "colour = red",
    "region = us-east-1 # comment",
    "region = 'us-east-1'",
    'output = "json',
    "output = json;x",
    "region =",
    "Region  = x",
    "awsprof_protected = writes",
    "endpoint_url = http://x",
]
LINE = st.one_of(
    st.sampled_from(HEADERS),
    st.sampled_from(KEY_LINES),
    st.sampled_from(["", "# c", "; c"]),
)
SETTINGS = settings(
    max_examples=1500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PATH = Path("config")


@st.composite
def plain_texts(draw: st.DrawFn) -> str:
    lines = draw(st.lists(LINE, max_size=24))
    return "\n".join(lines) + "\n"


def _both(text: str) -> tuple[ini.IniFile, Deferred] | None:
    names = ini.plain_index(text)
    if names is None:
        return None
    return ini.parse(text), Deferred(text, names)


@SETTINGS
@given(text=plain_texts())
@example(text="[profile a]\nregion = x # c\n[sso-session org]\nregion = r\nregoin = x\n")
@example(text="[default]\nregion = r\n[profile default]\noutput = j\n[profile a b]\n")
def test_text_checks_of_a_plain_file_are_the_section_checks(text: str) -> None:
    both = _both(text)
    if both is None:
        return  # not a plain (or not a valid) file: the sections are checked
    parsed, deferred = both
    assert file_checks.config_sections(PATH, deferred) == file_checks.config_sections(PATH, parsed)
    for is_config in (True, False):
        assert file_checks.values(PATH, Deferred(text, deferred.names), is_config) == (
            file_checks.values(PATH, parsed, is_config)
        )
    assert file_checks.credentials_sections(PATH, deferred) == (
        file_checks.credentials_sections(PATH, parsed)
    )


def test_a_generated_config_is_checked_on_its_text_with_its_one_odd_value() -> None:
    sections = [
        f"[profile acct-{i:05d}-Admin]\nsso_session = org\nsso_account_id = {100000000000 + i}\n"
        "sso_role_name = Admin\nregion = us-east-1\n"
        for i in range(5000)
    ]
    sections[4321] = sections[4321].replace("region = us-east-1", "region = us-east-1 # eu")
    text = "[sso-session org]\nsso_region = us-east-1\n\n" + "\n".join(sections)
    names = ini.plain_index(text)
    assert names is not None
    deferred = Deferred(text, names)
    findings = file_checks.values(PATH, deferred, True)
    assert [(f.id, f.line) for f in findings] == [("AWSP010", 3 + 4321 * 6 + 5)]
    assert deferred._whole is None  # found without parsing every section
