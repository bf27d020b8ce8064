"""Shared by the guard's tests."""

from __future__ import annotations

import types
from collections.abc import Iterator

import pytest

import awsprof


@pytest.fixture(autouse=True)
def _keep_the_library_function_resolve() -> Iterator[None]:
    """Importing the package `awsprof.resolve` binds that name on `awsprof`, hiding the library
    function `awsprof.resolve()` from later tests; undo it until the package is renamed."""
    yield
    if isinstance(vars(awsprof).get("resolve"), types.ModuleType):
        delattr(awsprof, "resolve")
