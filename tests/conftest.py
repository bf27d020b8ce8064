"""Every test runs with a fresh HOME and no AWS_* variables: no test touches the real ~/.aws."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = ["fixtures_sandbox", "fixtures_browser", "fixtures_awscli_v2"]


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("home")
    for name in list(os.environ):
        if name.startswith(("AWS_", "AWSPROF_", "_AWS_", "XDG_")):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    yield home


@pytest.fixture
def aws_dir(isolated_home: Path) -> Path:
    path = isolated_home / ".aws"
    path.mkdir(mode=0o700)
    return path
