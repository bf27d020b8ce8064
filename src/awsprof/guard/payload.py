"""An operation's argument value as the AWS CLI reads it: a local file, JSON, or shorthand.

The AWS CLI accepts `file://path` (text) and `fileb://path` (bytes) for any parameter, JSON for
structures and lists, and its shorthand syntax (`Key=Value,Key2=[a,b],Key3={K=V}`). The rules in
`rules.py` look inside the result (`Changes[].Action`), so it is read here the same way. Files are
read through `cli_input`'s safe reader (size limit, regular files only, never a URL); whatever
cannot be read or parsed raises `cli_input.Unreadable`, and the rule then assumes the worst.
"""

from __future__ import annotations

from awsprof.guard import cli_input


def text_of(value: str) -> str:
    """The text the CLI sends for `value`, reading a `file://` / `fileb://` file."""
    lowered = value[:8].lower()
    if lowered.startswith(("http://", "https://")):
        raise cli_input.Unreadable(f"`{value}` is a URL, which the guard never fetches")
    if lowered.startswith(("file://", "fileb://")):
        return cli_input.read_text(value)
    return value


def parse(values: list[str]) -> object:
    """The structure the CLI builds from an option's values (several values make a list)."""
    parsed = [_parse_one(text_of(value)) for value in values]
    return parsed[0] if len(parsed) == 1 else parsed


def _parse_one(text: str) -> object:
    stripped = text.strip()
    if stripped[:1] in ("{", "[", '"') or stripped in ("true", "false", "null"):
        from awsprof.guard.jsonread import loads  # json's own parser, without importing json

        try:
            return loads(stripped)
        except ValueError:
            if stripped[:1] == "{":
                raise cli_input.Unreadable("not valid JSON") from None
    if "=" in stripped:
        return _Shorthand(stripped).document()
    return text


class _Shorthand:
    """The AWS CLI's shorthand: `Key=Value,Key2=[a,b],Key3={K=V}`."""

    def __init__(self, text: str) -> None:
        self.text, self.i = text, 0

    def document(self) -> object:
        result = self._pairs(end="")
        if self.i < len(self.text):
            raise cli_input.Unreadable(f"shorthand syntax not understood at {self.i}")
        return result

    def _pairs(self, end: str) -> dict[str, object]:
        pairs: dict[str, object] = {}
        while True:
            self._spaces()
            equals = self.text.find("=", self.i)
            if equals < 0:
                raise cli_input.Unreadable("shorthand syntax without `=`")
            key = self.text[self.i : equals].strip()
            if not key or any(c in key for c in ",[]{}"):
                raise cli_input.Unreadable(f"shorthand syntax: no key before `=` at {equals}")
            self.i = equals + 1
            pairs[key] = self._value(end, top=True)
            self._spaces()
            if self.i < len(self.text) and self.text[self.i] == ",":
                self.i += 1
                continue
            return pairs

    def _value(self, end: str, *, top: bool = False) -> object:
        self._spaces()
        if self.i >= len(self.text):
            return ""
        c = self.text[self.i]
        if c == "[":
            self.i += 1
            items: list[object] = []
            while True:
                self._spaces()
                if self.text.startswith("]", self.i):
                    self.i += 1
                    return items
                start = self.i
                items.append(self._value("]"))
                self._spaces()
                if self.text.startswith(",", self.i):
                    self.i += 1
                elif self.i == start or self.i >= len(self.text):
                    raise cli_input.Unreadable("shorthand syntax: `[` without `]`")
        if c == "{":
            self.i += 1
            pairs = self._pairs("}")
            self._spaces()
            if not self.text.startswith("}", self.i):
                raise cli_input.Unreadable("shorthand syntax: `{` without `}`")
            self.i += 1
            return pairs
        first = self._scalar(end)
        if not top:
            return first
        # `Key=a,b,c`: a list, until the next `Key=`.
        values = [first]
        while self.text.startswith(",", self.i) and not self._key_follows(self.i + 1):
            self.i += 1
            values.append(self._scalar(end))
        return values[0] if len(values) == 1 else values

    def _scalar(self, end: str) -> str:
        self._spaces()
        if self.i < len(self.text) and self.text[self.i] in "\"'":
            quote = self.text[self.i]
            close = self.text.find(quote, self.i + 1)
            if close < 0:
                raise cli_input.Unreadable("shorthand syntax: an unterminated quote")
            value = self.text[self.i + 1 : close]
            self.i = close + 1
            return value
        start = self.i
        stops = ",]}" if end else ","
        while self.i < len(self.text) and self.text[self.i] not in stops:
            if self.text[self.i] == "\\":
                self.i += 1
            self.i += 1
        return self.text[start : self.i].strip()

    def _key_follows(self, index: int) -> bool:
        rest = self.text[index:]
        key, equals, _ = rest.partition("=")
        return bool(equals) and key.strip().replace("-", "").replace("_", "").isalnum()

    def _spaces(self) -> None:
        while self.i < len(self.text) and self.text[self.i].isspace():
            self.i += 1


def find(document: object, path: str) -> list[object]:
    """Every value at `path` in `document`: `A.B` members, `[]` every item, `*` every member's
    value, `[Key=x]` the items whose Key is x (case-insensitive). The empty path is the document."""
    current = [document]
    for step in _steps(path):
        found: list[object] = []
        for node in current:
            if step == "[]":
                found.extend(node if isinstance(node, list) else [node])
            elif step == "*":
                if isinstance(node, dict):
                    found.extend(node.values())
            elif step.startswith("["):
                key, _, wanted = step[1:-1].partition("=")
                items = node if isinstance(node, list) else [node]
                found.extend(
                    item
                    for item in items
                    if isinstance(item, dict) and str(item.get(key, "")).lower() == wanted.lower()
                )
            elif isinstance(node, dict):
                found.extend(value for name, value in node.items() if name.lower() == step.lower())
        current = found
    return current


def _steps(path: str) -> list[str]:
    import re

    return re.findall(r"\[[^\]]*\]|[^.\[\]]+", path)


def strings(document: object) -> list[str]:
    """Every string (and key) inside `document`, for rules that read free text."""
    if isinstance(document, str):
        return [document]
    if isinstance(document, dict):
        return [*document, *(text for value in document.values() for text in strings(value))]
    if isinstance(document, list):
        return [text for item in document for text in strings(item)]
    return []
