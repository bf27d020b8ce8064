"""A big config read through its section map (only the sections a hot command needs) gives the
guard and the prompt the same answers as reading the whole file: the profile, its lines, the
marks of every profile, the tiers; and a changed file is never read through an old map."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awsprof.files import sectionmap
from awsprof.guard.facts import read_marks
from awsprof.reader import profiles
from awsprof.reader.accounts import KeyAccounts

NAMES = st.sampled_from(["a", "ab", "b", "prod", "prod-2", "it's", "default", "x y", "dev"])
KEYS = st.sampled_from(
    [
        "region",
        "role_arn",
        "sso_account_id",
        "awsprof_protected",
        "AWSPROF_Protected",
        "awsprof_expected_account",
        "output",
    ]
)
VALUES = st.sampled_from(
    ["us-east-1", "true", "refuse-writes", "123456789012", "arn:aws:iam::210987654321:role/r", ""]
)


@st.composite
def plain_file(draw: st.DrawFn, config: bool) -> str:
    lines = draw(st.lists(st.sampled_from(["# awsprof notes", "; c", ""]), max_size=2))
    used: set[str] = set()
    for _ in range(draw(st.integers(0, 12))):
        name = draw(NAMES)
        if config:
            header = draw(
                st.sampled_from(
                    [
                        f"profile {name}",
                        f'profile "{name}"',
                        "default",
                        f"awsprof-tier {name}",
                        f"sso-session {name}",
                    ]
                )
            )
        else:
            header = name
        if header in used:
            continue
        used.add(header)
        lines.append(f"[{header}]")
        keys: set[str] = set()
        for _ in range(draw(st.integers(0, 4))):
            key = draw(KEYS)
            if key.lower() in keys:
                continue
            keys.add(key.lower())
            lines.append(f"{key} = {draw(VALUES)}")
        lines += [""] * draw(st.integers(0, 2))
    return "\n".join(lines) + "\n"


def _settle(path: Path) -> None:
    settled = time.time() - 60  # the index and the map trust only files not being written
    os.utime(path, (settled, settled))


def _answers(environ: dict[str, str], only: str, marks_matter: bool) -> tuple[object, ...]:
    files = profiles.ProfileFiles(environ, only, marks_matter)
    marks = read_marks(files.profiles, KeyAccounts(environ)) if files.has_marks else None
    return files.has_marks, files.get(only), files.tier_sections, marks


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    config=plain_file(True),
    credentials=plain_file(False),
    only=NAMES,
    marks_matter=st.booleans(),
    chunk=st.sampled_from([1, 16, 64, 1 << 14]),
)
def test_reading_through_the_section_map_gives_the_whole_file_answers(
    monkeypatch: pytest.MonkeyPatch,
    config: str,
    credentials: str,
    only: str,
    marks_matter: bool,
    chunk: int,
) -> None:
    monkeypatch.setattr(sectionmap, "CHUNK", chunk)
    with tempfile.TemporaryDirectory() as directory:
        home = Path(directory)
        (home / "config").write_text(config)
        (home / "credentials").write_text(credentials)
        _settle(home / "config")
        _settle(home / "credentials")
        environ = {
            "HOME": directory,
            "AWS_CONFIG_FILE": str(home / "config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(home / "credentials"),
            "XDG_CACHE_HOME": str(home / "cache"),
        }
        monkeypatch.setattr(profiles, "BIG_FILE", 1 << 40)
        whole = _answers(environ, only, marks_matter)
        monkeypatch.setattr(profiles, "BIG_FILE", 0)  # every file is "big" from here on
        first = _answers(environ, only, marks_matter)  # validates, indexes, stores the maps
        used: list[bool] = []
        real_parse = profiles._Mapped.parse

        def parse(self: profiles._Mapped, wanted: list[str], with_marked: bool) -> object:
            used.append(True)
            return real_parse(self, wanted, with_marked)

        monkeypatch.setattr(profiles._Mapped, "parse", parse)
        mapped = _answers(environ, only, marks_matter)
        assert first == whole
        assert mapped == whole
        if "[" in config or "[" in credentials:
            assert used, "the second read did not go through a section map"


def test_a_changed_file_is_not_read_through_its_old_map(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(profiles, "BIG_FILE", 0)
    config = tmp_path / "config"
    config.write_text("[profile a]\nregion = us-east-1\n[profile b]\nregion = eu-west-1\n")
    _settle(config)
    environ = {
        "HOME": str(tmp_path),
        "AWS_CONFIG_FILE": str(config),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    profiles.ProfileFiles(environ, "b")
    assert list((tmp_path / "cache" / "awsprof").glob("ini-*.sections"))
    config.write_text("[profile b]\nregion = ap-south-1\n[profile a]\nregion = us-east-1\n")
    _settle(config)
    settings = profiles.ProfileFiles(environ, "b").get("b")
    assert settings == {"region": ("ap-south-1", f"{config}:2")}
