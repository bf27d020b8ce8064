"""The fast path and click accept the same command lines and answer them alike.

Both front ends are built from :mod:`awsprof.cli.spec`; the lines below are generated from that
declaration for every fast command (each option in both spellings, a missing value, a wrong
choice, a value given to a flag, every accepted global before, between and after the command's
words, a refused global, an unknown option, an extra argument). Each line runs twice as a real
process against the sandbox: as typed (the fast path takes it when it can) and with ``--debug``
in front (which always takes the click path); exit code and stdout must be equal, and stderr too
apart from the traceback ``--debug`` adds.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from awsprof.cli import spec
from awsprof.sandbox import accounts as world
from awsprof.sandbox.home import HomeContent, SandboxHome, write_home
from awsprof.sandbox.runtime import RunningSandbox
from fixtures_sandbox import BIN_DIR, Sandbox

# A value for each option, valid against the sandbox home.
SAMPLES = {
    "profile": "dev",
    "region": "eu-west-1",
    "query": "Account",
    "sso_session": world.SSO_SESSION,
    "services": world.SERVICES_SECTION,
    "template": "{profile}@{region}",
    "duration": "30m",
    "confirm_account": world.DEV.account_id,
    "redirect_port": "0",
}
# What each command needs to be a complete line: words, then (arguments, a tail for passthrough).
BASE: dict[tuple[str, ...], list[str]] = {
    ("configure", "get"): ["region"],
    ("sso", "login"): ["--if-needed"],  # never a real browser login: the token is valid
    ("use",): ["dev", "--shell", "bash"],
    ("guard",): ["--dry-run"],
}
TAIL: dict[tuple[str, ...], list[str]] = {("guard",): ["--", "aws", "s3", "ls"]}


def _sample(option: spec.Option) -> str:
    return option.choices[-1] if option.choices else SAMPLES.get(option.dest, "x")


def _line(command: spec.Command, extra: list[str], before: list[str] | None = None) -> list[str]:
    words = list(command.words)
    return [
        *(before or []),
        *words,
        *BASE.get(command.words, []),
        *extra,
        *TAIL.get(command.words, []),
    ]


def generated_lines() -> Iterator[list[str]]:
    for command in spec.COMMANDS:
        yield _line(command, [])
        for option in command.options:
            if option.kind == spec.FLAG:
                yield _line(command, [option.name])
                yield _line(command, [f"{option.name}=1"])
                continue
            value = _sample(option)
            yield _line(command, [option.name, value])
            yield _line(command, [f"{option.name}={value}"])
            if not TAIL.get(command.words):
                yield _line(command, [option.name])  # no value
            if option.choices:
                yield _line(command, [option.name, "bogus"])
        for name in command.globals:
            option = spec.GLOBAL_NAMES[name]
            if name == "--debug":
                continue  # --debug is how the click path is chosen
            given = [name] if option.kind == spec.FLAG else [name, _sample(option)]
            yield _line(command, given)
            yield _line(command, [], before=given)
            if len(command.words) > 1:
                words = list(command.words)
                yield [words[0], *given, *words[1:], *BASE.get(command.words, [])]
            if option.kind == spec.VALUE:
                yield _line(command, [], before=[f"{name}={_sample(option)}"])
        refused = [o for o in spec.GLOBALS if o.name not in command.globals]
        for option in refused[:1]:
            given = [option.name] if option.kind == spec.FLAG else [option.name, _sample(option)]
            yield _line(command, [], before=given)
            yield _line(command, given)
        yield _line(command, ["--nope"])
        if not command.passthrough:
            yield _line(command, ["extra"])


EXTRA_LINES = [
    ["whoami", "--query", "Account", "--output", "text"],
    ["--output", "text", "whoami", "--query", "[Account, Arn]"],
    ["whoami", "--output", "table", "--query", "{A: Account}"],
    ["whoami", "--query", "[["],
    ["whoami", "--profile", "nope"],
    ["configure", "export-credentials", "--profile", "dev", "--region", "eu-west-1"],
    ["configure", "export-credentials", "--format", "env", "--profile=dev"],
    ["guard", "--dry-run", "aws", "s3", "rb", "s3://x", "--profile", "prod"],
    ["guard", "--", "aws", "sts", "get-caller-identity", "--output", "text"],
    ["guard", "aws", "sts", "get-caller-identity", "--profile", "dev", "--output", "json"],
    ["use", "--clear", "--shell", "zsh"],
    ["use", "dev"],
    ["configure", "get", "-", "--profile", "dev"],
    ["configure", "get", "region", "--", "x"],
    ["--profile", "dev", "configure", "get", "region", "--profile", "default"],
]
LINES = list(generated_lines()) + EXTRA_LINES
LEASE_END = re.compile(r"AWSPROF_USE_UNTIL='\d+'")


@pytest.fixture(scope="module")
def home(
    sandbox_servers: RunningSandbox, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """One sandbox home for every line (none of them writes to it), logged in to SSO."""
    root = tmp_path_factory.mktemp("parity-home")
    paths = SandboxHome(root)
    keys = sandbox_servers.seeded.static_keys
    write_home(
        paths, HomeContent(sandbox_servers.moto.port, sandbox_servers.identity_center.port, keys)
    )
    Sandbox(sandbox_servers, root, paths, {}, {}, {}).login_sso()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "AWSPROF_"))}
    env.update(paths.environment())
    env.update(PATH=os.pathsep.join([str(BIN_DIR), env.get("PATH", "")]), AWS_PAGER="")
    env["NO_PROXY"] = "127.0.0.1,localhost"
    return env


def _run(env: dict[str, str], argv: list[str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "awsprof", *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # `use --for` prints when the lease ends: a clock reading, a second apart between the runs.
    done.stdout = LEASE_END.sub("AWSPROF_USE_UNTIL='<time>'", done.stdout)
    return done


def _without_traceback(stderr: str, plain: str) -> str:
    """The ``--debug`` run's stderr minus the traceback printed before the usual message."""
    if stderr.startswith("Traceback (most recent call last):") and stderr.endswith(plain):
        return stderr[len(stderr) - len(plain) :]
    return stderr


def _is_click_usage_error(done: subprocess.CompletedProcess[str]) -> bool:
    return done.returncode == 2 and re.search(r"(?m)^Error: ", done.stderr) is not None


@pytest.mark.parametrize("argv", LINES, ids=[" ".join(line) for line in LINES])
def test_fast_and_click_paths_agree(home: dict[str, str], argv: list[str]) -> None:
    fast = _run(home, argv)
    slow = _run(home, ["--debug", *argv])
    assert (fast.returncode, fast.stdout) == (slow.returncode, slow.stdout), (fast, slow)
    assert _without_traceback(slow.stderr, fast.stderr) == fast.stderr
    # The fast parser accepts exactly the lines click accepts.
    assert (spec.parse(argv) is None) == _is_click_usage_error(slow), slow.stderr


def test_the_generated_lines_cover_every_fast_command_and_option() -> None:
    seen = {tuple(line) for line in LINES}
    for command in spec.COMMANDS:
        mine = [line for line in seen if _words_of(line) == command.words]
        assert mine, command.words
        for option in (*command.options, *(spec.GLOBAL_NAMES[g] for g in command.globals)):
            if option.name != "--debug":
                assert any(option.name in " ".join(line) for line in mine), option.name


def _words_of(line: tuple[str, ...]) -> tuple[str, ...]:
    words: list[str] = []
    skip = False
    for arg in line:
        if skip:
            skip = False
        elif arg.startswith("-"):
            option = spec.GLOBAL_NAMES.get(arg.partition("=")[0])
            skip = option is not None and option.kind == spec.VALUE and "=" not in arg
        elif tuple(words) in spec.BY_WORDS:
            break
        else:
            words.append(arg)
    return tuple(words)


def test_what_follows_a_passthrough_command_is_never_read_as_ours() -> None:
    line = ["guard", "--dry-run", "aws", "s3", "ls", "--debug", "--profile", "prod"]
    assert spec.own_arguments(line) == 2
    parsed = spec.parse(line)
    assert parsed is not None
    assert parsed.rest == ["aws", "s3", "ls", "--debug", "--profile", "prod"]
    assert parsed.text("profile") is None
    assert spec.own_arguments(["guard", "--confirm-account", "1", "--", "aws", "--debug"]) == 3


def test_options_never_share_a_destination_with_a_global() -> None:
    """A command's own option and a global writing the same value would shadow each other."""
    global_dests = {option.dest for option in spec.GLOBALS}
    for command in spec.COMMANDS:
        assert not {option.dest for option in command.options} & global_dests, command.words
        assert set(command.globals) <= set(spec.GLOBAL_NAMES), command.words


def test_declared_choices_are_the_core_modules_own(tmp_path: Path) -> None:
    from awsprof.resolution.export import FORMATS
    from awsprof.shell.init import SHELLS

    options = {o.name: o for c in spec.COMMANDS for o in c.options if c.words != ("prompt",)}
    assert options["--format"].choices == FORMATS
    assert options["--shell"].choices == SHELLS


@pytest.mark.parametrize(
    "argv",
    [
        ["configure", "export-credentials", "--profile", "dev", "--region", "eu-west-1"],
        ["whoami", "--profile", "dev", "--region", "eu-west-1"],
        ["sts", "get-caller-identity", "--region", "eu-west-1", "--profile", "dev"],
    ],
    ids=["export_credentials", "whoami", "get_caller_identity"],
)
def test_region_after_the_command_works_on_both_paths(
    home: dict[str, str], argv: list[str]
) -> None:
    """Regression: the fast path took `--region` after the command and the click path (taken
    with --debug) exited 2 with "No such option: --region"."""
    for line in (argv, ["--debug", *argv]):
        done = _run(home, line)
        assert done.returncode == 0, done.stderr
        assert "222233334444" in done.stdout or "AccessKeyId" in done.stdout


def test_the_declaration_is_cheap_to_import(tmp_path: Path) -> None:
    """Every fast command reads it: no click, dataclasses or typing, well under 2 ms."""
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(tmp_path)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)

    def own_times() -> dict[str, int]:
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import awsprof.cli.fast"],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        times = {}
        for line in done.stderr.splitlines():
            if line.startswith("import time:") and "|" in line:
                own, _, name = (p.strip() for p in line.removeprefix("import time:").split("|"))
                if own.isdigit():
                    times[name] = int(own)
        return times

    modules = own_times()  # also writes the bytecode
    assert {"awsprof.cli.spec", "awsprof.cli.fast"} <= set(modules)
    assert {m.split(".")[0] for m in modules} & {
        "click",
        "dataclasses",
        "typing",
        "botocore",
    } == set()
    best = min(own_times()["awsprof.cli.spec"] for _ in range(3))
    assert best < 2_000, f"{best} µs"


def test_every_declared_command_is_the_click_command_of_its_words() -> None:
    """No hand-written click command may shadow a declared one (they could diverge again)."""
    import click

    from awsprof.cli.app import cli
    from awsprof.cli.clickspec import SpecCommand

    for command in spec.COMMANDS:
        current: click.Command = cli
        ctx = click.Context(cli)
        for word in command.words:
            assert isinstance(current, click.Group), command.words
            found = current.get_command(ctx, word)
            assert found is not None, command.words
            current = found
        assert isinstance(current, SpecCommand), command.words
        declared = {o.name for o in command.options} | set(command.globals)
        assert {name for p in current.params for name in p.opts} - {"rest"} >= declared
