"""The ``awsprof configure`` wizard driven through a real pseudo-terminal (pexpect).

Checks the AWS CLI's exact prompts in order, masking of current secrets, Enter keeping values,
the session-token prompt for temporary keys, that secrets are never echoed to the terminal, that
nothing is written when nothing changed, and that a long-term key drops a stale session token.
"""

from __future__ import annotations

import io
import os
import re
import sys
from pathlib import Path

import pexpect

AWSPROF = str(Path(sys.executable).with_name("awsprof"))
ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
TEMP_KEY = "ASIAIOSFODNN7TEMPKEY"
TEMP_SECRET = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbTEMPSECRET"
TOKEN = "IQoJb3JpZ2luX2VjEXAMPLETOKENxyz1234567890abcdefTOKN"


class Wizard:
    """One wizard run: ``answer`` waits for the exact prompt, then types the answer."""

    def __init__(self, profile: str = "dev") -> None:
        self.transcript = io.StringIO()
        self.child = pexpect.spawn(
            AWSPROF,
            ["configure", "--profile", profile],
            env=dict(os.environ),
            encoding="utf-8",
            timeout=20,
            dimensions=(24, 200),
        )
        self.child.logfile_read = self.transcript

    def answer(self, prompt: str, text: str) -> None:
        self.child.expect_exact(prompt)
        # Nothing but the prompt may come before it (no stray prompt, no echo of a secret).
        self.child.sendline(text)

    def finish(self) -> tuple[int, str]:
        self.child.expect(pexpect.EOF)
        self.child.close()
        return self.child.exitstatus, self.transcript.getvalue()


def prompts_in(transcript: str) -> list[str]:
    return re.findall(r"(?:AWS [A-Za-z ]+|Default [a-z ]+) \[[^\]]*\]: ", transcript)


def test_first_run_asks_in_order_and_never_echoes_the_secret(isolated_home: Path) -> None:
    wizard = Wizard()
    wizard.answer("AWS Access Key ID [None]: ", ACCESS_KEY)
    wizard.answer("AWS Secret Access Key [None]: ", SECRET)
    wizard.answer("Default region name [None]: ", "us-west-2")
    wizard.answer("Default output format [None]: ", "json")
    code, transcript = wizard.finish()
    assert code == 0
    assert prompts_in(transcript) == [
        "AWS Access Key ID [None]: ",
        "AWS Secret Access Key [None]: ",
        "Default region name [None]: ",
        "Default output format [None]: ",
    ]
    assert SECRET not in transcript
    assert SECRET[-8:] not in transcript
    assert ACCESS_KEY in transcript  # the key ID is not secret: typed with echo, as in the AWS CLI
    aws = isolated_home / ".aws"
    assert (aws / "credentials").read_text() == (
        f"[dev]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET}\n"
    )
    assert (aws / "config").read_text() == "[profile dev]\nregion = us-west-2\noutput = json\n"


def test_enter_keeps_values_masked_and_writes_nothing(aws_dir: Path) -> None:
    credentials, config = aws_dir / "credentials", aws_dir / "config"
    credentials.write_text(
        f"# mine\n[dev]\naws_access_key_id={ACCESS_KEY}\naws_secret_access_key={SECRET}\n"
    )
    config.write_text("[profile dev]\nregion=eu-west-1\noutput = text\n")
    past = 1_000_000_000_000_000_000
    for path in (credentials, config):
        os.utime(path, ns=(past, past))
    before = {path: (path.read_bytes(), path.stat()) for path in (credentials, config)}
    wizard = Wizard()
    wizard.answer("AWS Access Key ID [****************MPLE]: ", "")
    wizard.answer("AWS Secret Access Key [****************EKEY]: ", "")
    wizard.answer("Default region name [eu-west-1]: ", "")
    wizard.answer("Default output format [text]: ", "")
    code, transcript = wizard.finish()
    assert code == 0
    assert len(prompts_in(transcript)) == 4
    assert SECRET not in transcript
    assert ACCESS_KEY not in transcript
    for path, (data, stat) in before.items():
        assert path.read_bytes() == data
        assert (path.stat().st_mtime_ns, path.stat().st_ino) == (stat.st_mtime_ns, stat.st_ino)
    assert [p.name for p in aws_dir.iterdir() if p.name.endswith(".awsprof-tmp")] == []


def test_temporary_key_asks_for_token_and_long_term_key_drops_it(aws_dir: Path) -> None:
    (aws_dir / "config").write_text("[profile dev]\nregion = eu-west-1\n")
    wizard = Wizard()
    wizard.answer("AWS Access Key ID [None]: ", TEMP_KEY)
    wizard.answer("AWS Secret Access Key [None]: ", TEMP_SECRET)
    wizard.answer("AWS Session Token [None]: ", TOKEN)
    wizard.answer("Default region name [eu-west-1]: ", "")
    wizard.answer("Default output format [None]: ", "")
    code, transcript = wizard.finish()
    assert code == 0
    assert TEMP_SECRET not in transcript and TOKEN not in transcript
    credentials = aws_dir / "credentials"
    assert credentials.read_text() == (
        f"[dev]\naws_access_key_id = {TEMP_KEY}\naws_secret_access_key = {TEMP_SECRET}\n"
        f"aws_session_token = {TOKEN}\n"
    )
    assert (aws_dir / "config").read_text() == "[profile dev]\nregion = eu-west-1\n"

    # A long-term key replacing the temporary one is asked no token (the AWS CLI v2's rule) and
    # removes the stored one.
    wizard = Wizard()
    wizard.answer("AWS Access Key ID [****************PKEY]: ", ACCESS_KEY)
    wizard.answer("AWS Secret Access Key [****************CRET]: ", SECRET)
    wizard.answer("Default region name [eu-west-1]: ", "")
    wizard.answer("Default output format [None]: ", "")
    code, transcript = wizard.finish()
    assert code == 0
    assert SECRET not in transcript and TOKEN not in transcript
    assert credentials.read_text() == (
        f"[dev]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET}\n"
    )


def test_non_asia_key_without_token_gets_no_token_prompt(isolated_home: Path) -> None:
    wizard = Wizard("default")
    wizard.answer("AWS Access Key ID [None]: ", ACCESS_KEY)
    wizard.answer("AWS Secret Access Key [None]: ", SECRET)
    wizard.child.expect_exact("Default region name [None]: ")
    assert "Session Token" not in wizard.transcript.getvalue()
    wizard.child.sendline("")
    wizard.answer("Default output format [None]: ", "")
    code, _ = wizard.finish()
    assert code == 0
    assert (isolated_home / ".aws" / "credentials").read_text() == (
        f"[default]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET}\n"
    )
    # Like the AWS CLI v2: the profile's section is written even with no config value.
    assert (isolated_home / ".aws" / "config").read_text() == "[default]\n"
