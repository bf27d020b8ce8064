"""awsprof: the AWS CLI v2 named-profile system as a library and a command-line tool.

The public API is listed in ``__all__`` and locked by a test. Names are loaded lazily so that
``import awsprof`` stays cheap for the hot commands (prompt, guard, list-profiles, get).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "AwsprofError": "awsprof.errors",
    "ConfigFileError": "awsprof.errors",
    "ProfileNotFoundError": "awsprof.errors",
    "ResolutionError": "awsprof.errors",
    "LoginRequiredError": "awsprof.errors",
    "ServiceError": "awsprof.errors",
    "GuardRefusedError": "awsprof.errors",
    "AwsFiles": "awsprof.profiles.model",
    "Profile": "awsprof.profiles.model",
    "load_files": "awsprof.profiles.model",
    "Resolution": "awsprof.resolution.chain",
    # The values inside a Resolution, so that users can name them in their own type hints.
    "Credentials": "awsprof.credentials",
    "Selection": "awsprof.reader.selection",
    "SelectedBy": "awsprof.reader.selection",
    "Region": "awsprof.resolution.chain",
    "Link": "awsprof.resolution.providers.context",
    "Used": "awsprof.resolution.providers.context",
    "resolve": "awsprof.api",
    "session": "awsprof.api",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'awsprof' has no attribute {name!r}")
    import importlib  # here, not at the top: `import awsprof` is on every hot path

    return getattr(importlib.import_module(module), name)
