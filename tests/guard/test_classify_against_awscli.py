"""The classifier against the real AWS CLI's parser (v1, in-process, nothing sent).

For random lines of full, abbreviated, ambiguous and `--no-` options, the AWS CLI's own parser
says what it would send (a handler on `calling-command` returns before any request; the `s3 sync`
command's run is replaced by a recorder). Whenever the CLI would send a real change, the guard must
not see a dry run, and whenever it would delete, the guard must see a destructive command.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awsprof.guard.classify import Kind, classify


class CliParser:
    """awscli's driver, stopped right before anything would be sent."""

    def __init__(self) -> None:
        from awscli.clidriver import create_clidriver

        self.driver = create_clidriver()
        self.sent: dict[str, Any] | None = None
        # Last: after the CLI's own handlers (`--cli-input-json` adds its keys on this event).
        events = self.driver.session.get_component("event_emitter")
        events.register_last("calling-command.*", self._record_call)

    def _record_call(self, call_parameters: dict[str, Any], **kwargs: object) -> int:
        self.sent = dict(call_parameters)
        return 0  # a return code: the CLI stops here, nothing is sent

    def parse(self, argv: list[str]) -> dict[str, Any] | None:
        """What the CLI would send for `aws ARGV`, or None when it stops with an error."""
        self.sent = None
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            try:
                self.driver.main(argv)
            except SystemExit:
                return None
        return self.sent


@pytest.fixture(scope="module")
def cli() -> Iterator[CliParser]:
    from awscli.customizations.s3 import subcommands

    def record_sync(command: Any, parsed_args: Any, parsed_globals: Any) -> int:
        parser.sent = {"delete": parsed_args.delete, "dryrun": parsed_args.dryrun}
        return 0

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(subcommands.SyncCommand, "_run_main", record_sync)
        parser = CliParser()
        yield parser


@pytest.fixture(autouse=True)
def cli_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the CLI needs to parse (run after the suite's own isolation cleared AWS_*)."""
    import awscli

    monkeypatch.setenv("AWS_DATA_PATH", os.pathsep.join(awscli._awscli_data_path))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEEXAMPLE00")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-a-secret")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

DRY_TOKENS = [
    ["--dry-run"], ["--no-dry-run"], ["--dry"], ["--dry-r"], ["--no-dry"], ["--no-d"], ["--no-"],
    ["--no-dry-run=x"], ["--cli-input-json", '{"DryRun": true}'],
    ["--cli-input-json", '{"DryRun": false}'], ["--cli-input-j", '{"DryRun": true}'],
    ["--cli-input-json", '{"DryRun": tru'], ["--force"], ["--no-force"],
]  # fmt: skip


@SETTINGS
@given(st.lists(st.sampled_from(DRY_TOKENS), max_size=4))
def test_a_real_call_is_never_seen_as_a_dry_run(cli: CliParser, tokens: list[list[str]]) -> None:
    argv = ["ec2", "terminate-instances", "--instance-ids", "i-1", "--region", "us-east-1"]
    argv += [part for token in tokens for part in token]
    sent = cli.parse(argv)
    ours = classify(argv)
    if sent is not None and sent.get("DryRun") is not True:
        assert not ours.dry_run, (argv, sent, ours.reason)


def test_the_cli_parser_is_really_consulted(cli: CliParser) -> None:
    base = ["ec2", "terminate-instances", "--instance-ids", "i-1", "--region", "us-east-1"]
    assert cli.parse([*base, "--dry-run", "--no-dry"]) == {"InstanceIds": ["i-1"], "DryRun": False}
    assert cli.parse([*base, "--no-"]) is None  # ambiguous: the CLI stops
    assert cli.parse(["s3", "sync", ".", "s3://b/", "--del"]) == {"delete": True, "dryrun": False}


SYNC_TOKENS = [
    ["--delete"], ["--del"], ["--dele"], ["--dr"], ["--dryrun"], ["--ex"], ["--exact"], ["--si"],
    ["--size-only"], ["--exclude", "*"], ["--exc", "*.tmp"], ["--no-p"], ["--no-"],
]  # fmt: skip


@SETTINGS
@given(st.lists(st.sampled_from(SYNC_TOKENS), max_size=4), st.booleans())
def test_a_sync_that_deletes_is_always_destructive(
    cli: CliParser, tokens: list[list[str]], upload: bool
) -> None:
    paths = [".", "s3://bucket/prefix/"] if upload else ["s3://bucket/a/", "s3://bucket/b/"]
    argv = ["s3", "sync", *paths, *(part for token in tokens for part in token)]
    sent = cli.parse(argv)
    ours = classify(argv)
    if sent is not None and sent["delete"]:
        assert ours.kind is Kind.DESTRUCTIVE, (argv, ours.reason)
    if sent is not None and not sent["dryrun"]:
        assert not ours.dry_run, argv


PROTECTION_TOKENS = [
    ["--deletion-protection"], ["--no-deletion-protection"], ["--no-del"], ["--no-deletion"],
    ["--del"], ["--no-d"], ["--apply-immediately"], ["--no-apply"],
    ["--cli-input-json", '{"DeletionProtection": false}'],
    ["--cli-input-json", '{"DeletionProtection": true}'],
]  # fmt: skip


@SETTINGS
@given(st.lists(st.sampled_from(PROTECTION_TOKENS), max_size=3))
def test_protection_turned_off_is_always_destructive(
    cli: CliParser, tokens: list[list[str]]
) -> None:
    argv = ["rds", "modify-db-instance", "--db-instance-identifier", "d", "--region", "us-east-1"]
    argv += [part for token in tokens for part in token]
    sent = cli.parse(argv)
    ours = classify(argv)
    if sent is not None and sent.get("DeletionProtection") is False:
        assert ours.kind is Kind.DESTRUCTIVE, (argv, sent, ours.reason)
