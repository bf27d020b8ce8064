"""The public API is exactly this list; every name in it resolves."""

from __future__ import annotations

import importlib

import pytest

import awsprof

PUBLIC = [
    "__version__",
    "AwsprofError",
    "ConfigFileError",
    "ProfileNotFoundError",
    "ResolutionError",
    "LoginRequiredError",
    "ServiceError",
    "GuardRefusedError",
    "AwsFiles",
    "Profile",
    "load_files",
    "Resolution",
    "Credentials",
    "Selection",
    "SelectedBy",
    "Region",
    "Link",
    "Used",
    "resolve",
    "session",
]


def test_all_is_locked() -> None:
    assert sorted(awsprof.__all__) == sorted(PUBLIC)
    assert len(awsprof.__all__) == len(set(awsprof.__all__))


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_name_resolves(name: str) -> None:
    assert getattr(awsprof, name) is not None


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError):
        awsprof.no_such_name  # noqa: B018 - the attribute access is the test


def test_star_import_gives_the_public_names() -> None:
    namespace: dict[str, object] = {}
    exec("from awsprof import *", namespace)  # noqa: S102 - exercising the star import
    assert set(PUBLIC) <= set(namespace)
    assert importlib.import_module("awsprof").__version__ == awsprof.__version__
