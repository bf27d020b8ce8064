"""Value objects for the hot paths, without importing ``dataclasses``.

``import dataclasses`` pulls in ``inspect`` and costs about 17 ms here, more than the whole budget
of a prompt or of ``configure get`` on a small file. The modules those commands import (reading
the files, selecting the profile, addressing a setting) use this small base instead: fields are
named once in ``__slots__``, equality, hashing and ``repr`` follow them, and instances are treated
as immutable (nothing assigns to them after ``__init__``). Everything else uses dataclasses.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing_extensions import Self


class Value:
    __slots__: tuple[str, ...] = ()

    def _fields(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Value)  # noqa: S101 - narrowing for the type checker
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({shown})"

    def replace(self, **changes: object) -> Self:
        """A copy with some fields changed (``__init__`` takes the fields by their names)."""
        fields = {name: changes.pop(name, getattr(self, name)) for name in self.__slots__}
        if changes:
            raise TypeError(f"unknown fields: {', '.join(changes)}")
        return type(self)(**fields)
