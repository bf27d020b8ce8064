"""Both files merged, against a real ``botocore.session.Session`` reading the same files.

Same profile names in the same order, and for every profile, sso-session and services section
the same values, whether awsprof loads everything or only the one name a hot command needs.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import botocore.session
import pytest
from botocore.exceptions import ConfigParseError
from hypothesis import HealthCheck, example, given, settings
from ini_strategies import ini_texts

from awsprof.errors import ConfigFileError
from awsprof.profiles.model import AwsFiles, list_profile_names, load_files

_DIR = Path(tempfile.mkdtemp(prefix="awsprof-model-"))
CONFIG, CREDENTIALS = _DIR / "config", _DIR / "credentials"
ENV = {"AWS_CONFIG_FILE": str(CONFIG), "AWS_SHARED_CREDENTIALS_FILE": str(CREDENTIALS)}


@contextmanager
def files_in_environment() -> Iterator[None]:
    """botocore reads the paths from os.environ when a Session is created."""
    saved = {name: os.environ.get(name) for name in ENV}
    os.environ.update(ENV)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def write(path: Path, text: str | None) -> None:
    if text is None:
        path.unlink(missing_ok=True)
    else:
        path.write_bytes(text.encode("utf-8"))


def botocore_config() -> dict[str, object] | None:
    with files_in_environment():
        session = botocore.session.Session()
        try:
            full = session.full_config
            names = session.available_profiles
        except ConfigParseError:
            return None
    return {"names": names, **full}


def values(settings: object) -> dict[str, object]:
    return {key: setting.value for key, setting in settings.items()}  # type: ignore[attr-defined]


def check_model(config: str | None, credentials: str | None) -> None:
    write(CONFIG, config)
    write(CREDENTIALS, credentials)
    expected = botocore_config()
    if expected is None:
        with pytest.raises(ConfigFileError):
            load_files(ENV)
        with pytest.raises(ConfigFileError):
            list_profile_names(ENV)
        return
    files = load_files(ENV)
    names = expected["names"]
    assert files.profile_names() == names
    assert list_profile_names(ENV) == names
    profiles: dict[str, dict[str, object]] = expected["profiles"]  # type: ignore[assignment]
    for name in names:
        check_profile(files, name, profiles[name])
        # A hot command loads only the sections that can hold this name, and must agree.
        check_profile(load_files(ENV, keep=name), name, profiles[name])
    # A few keys of every profile without building the profiles: the same merge.
    keys = tuple(sorted({key for found in profiles.values() for key in found} | {"unset"}))
    for loaded in (files, load_files(ENV)):
        texts = list(loaded.texts(keys))
        assert [name for name, _ in texts] == names
        for name, found in texts:
            wanted = [profiles[name].get(key) for key in keys]
            assert found == [value if isinstance(value, str) else None for value in wanted]
        # The profiles that may hold a key: never one less than hold it.
        for key in keys:
            holding = [name for name in names if isinstance(profiles[name].get(key), str)]
            assert set(holding) <= set(loaded.where((key,)))
            assert loaded.where((key,)) == [n for n in names if n in set(loaded.where((key,)))]
    for kind, lookup in (("sso_sessions", AwsFiles.sso_session), ("services", AwsFiles.services)):
        sections: dict[str, dict[str, object]] = expected.get(kind, {})  # type: ignore[assignment]
        for name, section_values in sections.items():
            for loaded in (files, load_files(ENV, keep=name)):
                found = lookup(loaded, name)
                assert found is not None, (kind, name)
                assert values(found.settings) == section_values
    listed = files.sso_session_names(), files.services_names()
    assert listed == (list(expected.get("sso_sessions", {})), list(expected.get("services", {})))  # type: ignore[call-overload]


def check_profile(files: AwsFiles, name: str, expected: dict[str, object]) -> None:
    profile = files.profile(name)
    assert profile is not None, name
    assert values(profile.settings) == expected
    for setting in profile.settings.values():
        assert setting.source.path in (CONFIG, CREDENTIALS)
        assert setting.source.line >= 1


@settings(
    max_examples=1500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(config=ini_texts(), credentials=ini_texts())
@example(config="[profile 'it'\"'\"'s']\nregion = r\n", credentials="")
@example(config="[profile it\\'s]\nregion = r\n", credentials="")
@example(config='[profile a"b"]\nregion = r\n', credentials="")
@example(config="[default]\nregion = a\n[profile default]\noutput = b\n", credentials="")
@example(config="[profile default]\nregion = a\n[default]\noutput = b\n", credentials="")
@example(config="[profile a]\nregion = a\n", credentials="[a]\nregion = b\n[b]\nx = 1\n")
@example(config="[DEFAULT]\nregion = d\n[profile a]\n", credentials="[DEFAULT]\nk = c\n[a]\n")
@example(config="[profile a]\nk = v\n", credentials="[a]\nk =\n  x = 1\n")
def test_profiles_agree_with_botocore_session(config: str, credentials: str) -> None:
    check_model(config, credentials)


@pytest.mark.parametrize(
    ("config", "credentials"),
    [(None, None), (None, "[a]\nk = v\n"), ("[profile a]\nk = v\n", None), ("", "")],
    ids=["no_files", "credentials_only", "config_only", "empty_files"],
)
def test_missing_files_read_as_botocore_reads_them(
    config: str | None, credentials: str | None
) -> None:
    check_model(config, credentials)
