"""doctor's file checks on a plain file's text give, finding for finding, what they give on
every parsed section.

A generated config of 100,000 profiles is checked on its text: only the sections that can have
a finding (a key that has one whatever its value, an odd value, a header that is not a simple
``profile NAME``) are read. These tests hold that shortcut to the section-by-section checks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from awsprof.doctor import file_checks
from awsprof.files import ini
from awsprof.profiles.model import Deferred
from home_files import files_environ, settle

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


PROFILE_LINES = [
    "source_profile = a",
    "source_profile = b",
    "role_arn = arn:aws:iam::111111111111:role/R",
    "sso_session = org",
    "sso_session = gone",
    "sso_session = orgx",
    "sso_session =  org  ",
    "sso_session =",
    "SSO_Session = org",
    "sso_account_id = 111111111111",
    "sso_account_id = 222222222222",
    "sso_account_id = 12345",
    "sso_role_name = R",
    "sso_start_url = https://x/start",
    "sso_region = us-east-1",
    "login_session = arn:aws:iam::111111111111:user/u",
    "aws_access_key_id = AKIAAAAAAAAAAAAAAAAA",
    "aws_secret_access_key = s",
    "awsprof_protected = writes",
    "awsprof_expected_account = 222222222222",
    "duration_seconds = 7200",
    "region = us-east-1",
]
PROFILE_HEADERS = ["[default]", "[profile a]", "[profile b]", "[profile prod]", "[profile c]"]
CONFIG_LINE = st.one_of(
    st.sampled_from([*PROFILE_HEADERS, "[sso-session org]"]), st.sampled_from(PROFILE_LINES)
)
CREDENTIAL_LINE = st.one_of(
    st.sampled_from(["[default]", "[a]", "[c]", "[prod]"]),
    st.sampled_from(
        [
            "aws_access_key_id = AKIAAAAAAAAAAAAAAAAA",
            "aws_secret_access_key = s",
            "sso_account_id = 111111111111",
            "sso_session = gone",
        ]
    ),
)


@SETTINGS
@given(
    config=st.lists(CONFIG_LINE, max_size=24).map(lambda lines: "\n".join(lines) + "\n"),
    credentials=st.lists(CREDENTIAL_LINE, max_size=8).map(lambda lines: "\n".join(lines) + "\n"),
)
@example(
    config="[profile a]\nsso_session = gone\n[profile b]\nsso_session =  org  \n"
    "[sso-session org]\n",
    credentials="",
)
@example(
    config="[profile a]\nsso_account_id = 111111111111\nsso_role_name = R\n",
    credentials="[c]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = s\n",
)
def test_profile_checks_on_the_text_are_the_checks_of_every_profile(
    config: str, credentials: str
) -> None:
    """Candidates found on the text (``AwsFiles.where``) lose no finding: the same findings
    as when every profile is a candidate, and as on the parsed files."""
    from awsprof.doctor.profile_checks import check_profiles
    from awsprof.profiles.model import AwsFiles

    key_accounts = {"AKIAAAAAAAAAAAAAAAAA": "111111111111"}

    def files(plain: bool) -> AwsFiles | None:
        loaded = []
        for text in (config, credentials):
            names = ini.plain_index(text)
            parsed = ini.parse(text)
            if parsed.error is not None:
                return None
            loaded.append(Deferred(text, names) if plain and names is not None else parsed)
        return AwsFiles(Path("config"), Path("credentials"), loaded[0], loaded[1])

    on_text = files(True)
    if on_text is None:
        return  # a file botocore refuses: doctor reports that instead
    found = check_profiles(on_text, key_accounts)
    parsed = files(False)
    assert parsed is not None
    assert check_profiles(parsed, key_accounts) == found
    everyone = files(True)
    assert everyone is not None
    everyone.where = lambda keys, value=None: everyone.profile_names()  # type: ignore[method-assign]
    assert check_profiles(everyone, key_accounts) == found


def test_doctor_takes_a_known_file_from_the_index_and_still_reports_a_broken_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """doctor reads through the reader every command uses, index included: a valid file the
    index knows is not validated again; a file changed since is, and its error is reported."""
    from awsprof.doctor.run import examine
    from awsprof.profiles import model

    config = tmp_path / "config"
    config.write_text("".join(f"[profile p{i}]\nregion = us-east-1\n" for i in range(50)))
    config.chmod(0o600)
    settle(config)  # the index trusts a settled file by identity
    environ = files_environ(tmp_path)
    first = examine(environ)

    def refuse(text: str) -> None:
        raise AssertionError("validated again")

    with monkeypatch.context() as patch:
        patch.setattr(model, "plain_index", refuse)
        assert examine(environ) == first
    config.write_text(config.read_text() + "[profile broken\n")
    findings = examine(environ)
    assert [(f.path, f.line) for f in findings if f.severity.value == "error"] == [(config, 101)]
