"""`awsprof sandbox up / down / status / env` through the real CLI, in child processes, with a
temporary --home: clear messages, the right exit codes and no stray server processes."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

SERVE = "awsprof.sandbox.serve"


def awsprof(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "awsprof", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def server_pids(home: Path) -> list[int]:
    """Live sandbox server processes serving ``home`` (zombies excluded)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if SERVE in command and str(home) in command:
            pids.append(int(entry.name))
    return pids


def wait_gone(home: Path, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not server_pids(home):
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def home(tmp_path: Path) -> Path:
    directory = tmp_path / "sandbox home"  # a space, on purpose
    yield directory
    awsprof("sandbox", "down", "--home", str(directory))
    assert wait_gone(directory), "a sandbox server outlived its test"


def state(home: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((home / "sandbox.json").read_text())
    return data


def test_up_twice_status_env_and_down(home: Path) -> None:
    first = awsprof("sandbox", "up", "--home", str(home))
    assert first.returncode == 0, first.stderr
    assert "Sandbox started" in first.stderr
    assert f'eval "$(awsprof sandbox env --home {home})"' in first.stderr
    assert first.stdout == ""
    pid = int(str(state(home)["pid"]))
    assert server_pids(home) == [pid]
    assert (home / ".aws" / "config").stat().st_mode & 0o777 == 0o600
    assert (home / ".aws" / "credentials").stat().st_mode & 0o777 == 0o600
    assert (home / ".aws").stat().st_mode & 0o777 == 0o700
    secret_line = next(
        line
        for line in (home / ".aws" / "credentials").read_text().splitlines()
        if line.startswith("aws_secret_access_key")
    )
    assert secret_line.split(" = ")[1] not in first.stderr

    second = awsprof("sandbox", "up", "--home", str(home))
    assert second.returncode == 0
    assert "already running" in second.stderr
    assert f"http://127.0.0.1:{state(home)['moto_port']}" in second.stderr
    assert server_pids(home) == [pid]

    status = awsprof("--output", "json", "sandbox", "status", "--home", str(home))
    assert status.returncode == 0, status.stderr
    report = json.loads(status.stdout)
    assert report["status"] == "running" and report["pid"] == pid
    identities = {p["profile"]: p for p in report["profiles"]}
    assert identities["default"]["account"] == "111122223333"
    assert identities["dev"]["arn"] == "arn:aws:iam::222233334444:user/alice"
    assert identities["work"]["login_required"] is True

    script = (
        f"eval \"$({sys.executable} -m awsprof sandbox env --home '{home}')\"\n"
        'echo "HOME=$HOME"\n'
        f"{Path(sys.executable).parent}/aws sts get-caller-identity --profile dev --output text"
        " --query Account\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["AWS_PROFILE"] = "prod"  # must be unset by the env lines
    env["AWS_ACCESS_KEY_ID"] = "AKIAOVERRIDEEXAMPLE1"
    shell = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert shell.returncode == 0, shell.stderr
    assert f"HOME={home}" in shell.stdout
    assert shell.stdout.strip().endswith("222233334444")

    down = awsprof("sandbox", "down", "--home", str(home))
    assert down.returncode == 0
    assert f"Sandbox stopped (process {pid})" in down.stderr
    assert wait_gone(home)
    assert not (home / "sandbox.json").exists()
    after = awsprof("sandbox", "status", "--home", str(home))
    assert after.returncode == 1
    assert "status: not-running" in after.stdout
    again = awsprof("sandbox", "down", "--home", str(home))
    assert again.returncode == 0 and "No sandbox is running" in again.stderr


def test_down_when_the_servers_are_already_gone(home: Path) -> None:
    assert awsprof("sandbox", "up", "--home", str(home)).returncode == 0
    pid = int(str(state(home)["pid"]))
    os.kill(pid, signal.SIGKILL)
    assert wait_gone(home)
    status = awsprof("sandbox", "status", "--home", str(home))
    assert status.returncode == 1
    assert "status: stale" in status.stdout
    assert f"its server process {pid} is gone" in status.stderr
    down = awsprof("sandbox", "down", "--home", str(home))
    assert down.returncode == 0
    assert "were already gone" in down.stderr
    assert not (home / "sandbox.json").exists()


def test_a_server_that_does_not_answer_is_stale_and_can_be_stopped(home: Path) -> None:
    assert awsprof("sandbox", "up", "--home", str(home)).returncode == 0
    pid = int(str(state(home)["pid"]))
    os.kill(pid, signal.SIGSTOP)  # alive, but silent
    try:
        status = awsprof("sandbox", "status", "--home", str(home))
        assert status.returncode == 1
        assert "status: stale" in status.stdout
        assert f"moto on port {state(home)['moto_port']} does not answer" in status.stderr
        down = awsprof("sandbox", "down", "--home", str(home))
        assert down.returncode == 0
        assert wait_gone(home)
    finally:
        if server_pids(home):
            os.kill(pid, signal.SIGKILL)


def test_restart_after_a_stale_sandbox_clears_the_caches(home: Path) -> None:
    assert awsprof("sandbox", "up", "--home", str(home)).returncode == 0
    old = state(home)
    for cache in (home / ".aws" / "sso" / "cache", home / ".aws" / "cli" / "cache"):
        cache.mkdir(parents=True, exist_ok=True)
        (cache / "stale.json").write_text("{}")
    os.kill(int(str(old["pid"])), signal.SIGKILL)
    assert wait_gone(home)
    restarted = awsprof("sandbox", "up", "--home", str(home))
    assert restarted.returncode == 0, restarted.stderr
    assert "Sandbox started" in restarted.stderr
    assert state(home)["pid"] != old["pid"]
    assert not list((home / ".aws").rglob("stale.json"))
    config = (home / ".aws" / "config").read_text()
    assert f"endpoint_url = http://127.0.0.1:{state(home)['moto_port']}" in config


@pytest.mark.parametrize("option", ["--moto-port", "--idc-port"])
def test_port_in_use_is_a_clear_error_without_stray_processes(home: Path, option: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = awsprof("sandbox", "up", "--home", str(home), option, str(port))
    assert result.returncode == 1
    assert f"Cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (home / "sandbox.json").exists()
    assert wait_gone(home, seconds=5)


def test_fixed_ports_are_used(home: Path) -> None:
    ports = []
    for _ in range(2):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            ports.append(probe.getsockname()[1])
    result = awsprof(
        "sandbox",
        "up",
        "--home",
        str(home),
        "--moto-port",
        str(ports[0]),
        "--idc-port",
        str(ports[1]),
    )
    assert result.returncode == 0, result.stderr
    assert (state(home)["moto_port"], state(home)["idc_port"]) == tuple(ports)


def test_removing_the_home_stops_the_server(tmp_path: Path) -> None:
    home = tmp_path / "doomed"
    assert awsprof("sandbox", "up", "--home", str(home)).returncode == 0
    assert server_pids(home)
    subprocess.run(["rm", "-rf", str(home)], check=True)
    assert wait_gone(home)


def test_default_home_follows_xdg_state_home(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "AWSPROF_"))}
    env["XDG_STATE_HOME"] = str(tmp_path / "state")
    result = awsprof("sandbox", "status", env=env)
    assert result.returncode == 1
    assert f"home:   {tmp_path / 'state' / 'awsprof' / 'sandbox'}" in result.stdout
    env_result = awsprof("sandbox", "env", env=env)
    assert env_result.returncode == 1
    assert "There is no sandbox home" in env_result.stderr
    assert "awsprof sandbox up" in env_result.stderr


def test_env_undo_returns_to_the_previous_home(tmp_path: Path) -> None:
    script = (
        f"export {'AWSPROF_SANDBOX_PREVIOUS_HOME'}=/original/home HOME=/sandbox/home\n"
        f'eval "$({sys.executable} -m awsprof sandbox env --undo)"\n'
        'echo "$HOME|${AWS_CONFIG_FILE:-unset}"\n'
    )
    shell = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, timeout=30, check=True
    )
    assert shell.stdout.strip() == "/original/home|unset"


def test_up_after_down_keeps_the_edited_home_unless_reset(home: Path) -> None:
    aws = Path(sys.executable).parent / "aws"
    assert awsprof("sandbox", "up", "--home", str(home)).returncode == 0
    config = home / ".aws" / "config"
    edit = "\n# my own note\n[profile mine]\nregion = eu-north-1\n"
    with config.open("a") as handle:
        handle.write(edit)
    before = config.read_text()
    first = state(home)
    assert awsprof("sandbox", "down", "--home", str(home)).returncode == 0
    assert wait_gone(home)

    again = awsprof("sandbox", "up", "--home", str(home))
    assert again.returncode == 0, again.stderr
    assert "Kept its AWS home" in again.stderr
    after = config.read_text()
    assert edit in after
    second = state(home)

    def ports_named(text: str, ports: dict[str, object]) -> str:
        for name in ("moto_port", "idc_port"):
            text = text.replace(f"127.0.0.1:{ports[name]}\n", f"127.0.0.1:{name}\n")
        return text

    # Only the endpoints changed: the rest of the file is byte for byte what the person left.
    assert ports_named(after, second) == ports_named(before, first)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(HOME=str(home), AWS_CONFIG_FILE=str(config))
    env["AWS_SHARED_CREDENTIALS_FILE"] = str(home / ".aws" / "credentials")
    identity = subprocess.run(
        [str(aws), "sts", "get-caller-identity", "--profile", "dev", "--output", "text"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert identity.returncode == 0, identity.stderr  # the new servers' keys and port
    assert "222233334444" in identity.stdout

    refused = awsprof("sandbox", "up", "--reset", "--home", str(home))
    assert refused.returncode == 2 and "down" in refused.stderr
    assert edit in config.read_text()
    assert awsprof("sandbox", "down", "--home", str(home)).returncode == 0
    assert wait_gone(home)
    reset = awsprof("sandbox", "up", "--reset", "--home", str(home))
    assert reset.returncode == 0, reset.stderr
    assert "[profile mine]" not in config.read_text()
