"""Login that fits where it runs: what the host says (SSH, WSL, a container, no display, BROWSER)
and the flow chosen from it, the AWS CLI's options and the config first."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsprof.sso.login import LoginOptions, plan
from awsprof.sso.session import SessionSettings
from awsprof.sso.where import Place, choose, detect

DESKTOP = {"DISPLAY": ":0"}


def _root(
    tmp_path: Path, *, version: str = "Linux version 6.1", files: tuple[str, ...] = ()
) -> str:
    (tmp_path / "proc").mkdir()
    (tmp_path / "proc" / "version").write_text(version)
    for name in files:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
    return str(tmp_path)


@pytest.mark.parametrize(
    ("environ", "found"),
    [
        ({"SSH_CONNECTION": "10.0.0.1 5000 10.0.0.2 22", **DESKTOP}, "ssh"),
        ({"SSH_TTY": "/dev/pts/3", **DESKTOP}, "ssh"),
        ({"SSH_CLIENT": "10.0.0.1 5000 22", **DESKTOP}, "ssh"),
        ({"WSL_DISTRO_NAME": "Ubuntu", **DESKTOP}, "wsl"),
        ({"container": "podman", **DESKTOP}, "container"),
    ],
)
def test_detects_the_variables(tmp_path: Path, environ: dict[str, str], found: str) -> None:
    place = detect(environ, _root(tmp_path), "linux")
    assert getattr(place, found) is True
    assert [n for n in ("ssh", "wsl", "container") if getattr(place, n)] == [found]


def test_a_desktop_is_nothing_special(tmp_path: Path) -> None:
    place = detect(DESKTOP, _root(tmp_path), "linux")
    assert place == Place(display=True)
    assert place.can_open_browser and place.remote is None


def test_wsl_from_proc_version(tmp_path: Path) -> None:
    root = _root(tmp_path, version="Linux version 5.15.90.1-microsoft-standard-WSL2")
    assert detect(DESKTOP, root, "linux").wsl is True


@pytest.mark.parametrize("marker", [".dockerenv", "run/.containerenv"])
def test_container_from_marker_files(tmp_path: Path, marker: str) -> None:
    assert detect(DESKTOP, _root(tmp_path, files=(marker,)), "linux").container is True


def test_no_display_only_on_linux(tmp_path: Path) -> None:
    root = _root(tmp_path)
    assert detect({}, root, "linux").display is False
    assert detect({"WAYLAND_DISPLAY": "wayland-0"}, root, "linux").display is True
    assert detect({}, root, "darwin").display is True
    assert detect({}, root, "win32").display is True


def test_the_real_host_files_are_read_when_no_root_is_given() -> None:
    place = detect({"DISPLAY": ":0"})  # whatever this machine is: no error, a Place
    assert isinstance(place, Place)


# The decision table: (place, options) -> (flow, browser opens).
SSH = Place(ssh=True)
CASES = [
    # A desktop: the AWS CLI's default, a browser here and the loopback redirect.
    (Place(), {}, ("pkce", True)),
    (Place(), {"no_browser": True}, ("pkce", False)),
    # The person's browser is elsewhere: the device flow, and no browser opened here.
    (SSH, {}, ("device", False)),
    (Place(container=True), {}, ("device", False)),
    (Place(wsl=True), {}, ("device", False)),
    (Place(display=False), {}, ("device", False)),
    # BROWSER names a browser (wslview, a devcontainer's helper): it is opened, on the device page.
    (Place(wsl=True, browser="wslview"), {}, ("device", True)),
    (Place(display=False, browser="w3m"), {}, ("pkce", True)),
    # BROWSER=none silences browsers: a desktop prints the URL, the flow stays the AWS CLI's.
    (Place(browser="none"), {}, ("pkce", False)),
    (Place(display=False, browser="none"), {}, ("device", False)),
    # What the person said wins over the host: flags, then the variable, then the config.
    (Place(), {"use_device_code": True}, ("device", True)),
    (Place(), {"legacy": True}, ("device", True)),
    (SSH, {"environ_flow": "pkce"}, ("pkce", False)),
    (SSH, {"configured_flow": "pkce"}, ("pkce", False)),
    (Place(), {"configured_flow": "device"}, ("device", True)),
    (SSH, {"configured_flow": "pkce", "environ_flow": "device"}, ("device", False)),
    (SSH, {"use_device_code": True, "environ_flow": "pkce"}, ("device", False)),
]


@pytest.mark.parametrize(("place", "options", "expected"), CASES)
def test_decision_table(
    place: Place, options: dict[str, object], expected: tuple[str, bool]
) -> None:
    choice = choose(place, **options)  # type: ignore[arg-type]
    assert (choice.flow, choice.open_browser) == expected
    assert choice.reason


def test_the_reason_names_the_place() -> None:
    assert "over SSH" in choose(SSH).reason
    assert "no display" in choose(Place(display=False)).reason


def _settings(name: str | None = "org", flow: str | None = None) -> SessionSettings:
    return SessionSettings(name, "https://x.awsapps.com/start", "us-east-1", (), flow, None, "p")


def test_login_without_a_place_keeps_the_aws_cli_rule() -> None:
    """Library callers that pass no place get what they got before (no host detection)."""
    assert plan(_settings(), LoginOptions()).flow == "pkce"
    assert plan(_settings(), LoginOptions()).open_browser is True
    assert plan(_settings(None), LoginOptions()).flow == "device"
    assert plan(_settings(flow="device"), LoginOptions()).flow == "device"


def test_login_with_a_place_follows_it() -> None:
    over_ssh = LoginOptions(place=SSH)
    assert (plan(_settings(), over_ssh).flow, plan(_settings(), over_ssh).open_browser) == (
        "device",
        False,
    )
    assert plan(_settings(flow="pkce"), over_ssh).flow == "pkce"
    assert plan(_settings(), LoginOptions(place=SSH, environ_flow="pkce")).flow == "pkce"
