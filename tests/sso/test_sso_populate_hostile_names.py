"""Account names from the portal are outside data: terminal controls never reach the file."""

from __future__ import annotations

from pathlib import Path

from awsprof.files.document import IniDocument
from awsprof.files.ini import parse
from awsprof.sso.populate import ACCOUNT_NAME_KEY, Assignment, PopulateRequest, build


def test_portal_account_name_with_terminal_controls_is_written_clean() -> None:
    hostile = "Prod\x1b]0;x\x07\x9b2J\u202eKO"
    document = IniDocument.from_bytes(Path("config"), b"")
    assignment = Assignment("123456789012", hostile, "a@example.com", "Admin")
    result = build(document, [assignment], PopulateRequest("my-org"), "eu-west-1")
    assert result.written
    text = document.to_bytes().decode()
    parsed = parse(text)
    assert parsed.error is None
    (section,) = (s for s in parsed.sections if s.name.startswith("profile "))
    name = section.options[ACCOUNT_NAME_KEY].value
    assert isinstance(name, str)
    assert not any(c in name for c in "\x1b\x07\x9b\u202e"), repr(name)
    assert not any(c in section.name for c in "\x1b\x07\x9b\u202e")
