"""awsprof's botocore clients never make botocore parse the config files again.

botocore's session parses both files whole on the first client (seconds on a config of
100,000 profiles); awsprof gives it the selected profile's part of what it already read. The
client must still see what botocore would have read: region, the profile's ``endpoint_url``,
its ``[services]`` section, retries.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from awsprof.resolution.chain import resolve_in_context

CONFIG = """\
[default]
region = us-west-2

[profile dev]
region = eu-west-1
endpoint_url = http://127.0.0.1:4599
services = local
max_attempts = 7

[services local]
sts =
  endpoint_url = http://127.0.0.1:4600

[profile plain]
region = ap-south-1
"""
CREDENTIALS = """\
[dev]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

[plain]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
"""


@pytest.fixture
def environ(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "config").write_text(CONFIG)
    (tmp_path / "credentials").write_text(CREDENTIALS)
    return {
        "AWS_CONFIG_FILE": str(tmp_path / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials"),
        "HOME": str(tmp_path),
    }


def _reference(environ: dict[str, str], profile: str, service: str) -> Any:
    """The same client from a botocore session that reads the files itself."""
    import botocore.session

    session = botocore.session.Session(profile=profile)
    session.set_config_variable("config_file", environ["AWS_CONFIG_FILE"])
    session.set_config_variable("credentials_file", environ["AWS_SHARED_CREDENTIALS_FILE"])
    return session.create_client(service, region_name=session.get_config_variable("region"))


def _ours(environ: dict[str, str], profile: str, service: str) -> Any:
    resolution, context = resolve_in_context(environ, profile)
    return context.clients.client(service, resolution.credentials)


@pytest.mark.parametrize(
    ("profile", "service"), [("dev", "sts"), ("dev", "iam"), ("plain", "sts"), ("plain", "iam")]
)
def test_a_client_does_not_make_botocore_parse_the_config_files(
    environ: dict[str, str], monkeypatch: pytest.MonkeyPatch, profile: str, service: str
) -> None:
    import botocore.configloader

    reference = _reference(environ, profile, service)
    parsed: list[str] = []
    real = botocore.configloader.raw_config_parse

    def spy(path: str, *args: Any, **kwargs: Any) -> Any:
        parsed.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(botocore.configloader, "raw_config_parse", spy)
    ours = _ours(environ, profile, service)
    assert parsed == []
    assert ours.meta.region_name == reference.meta.region_name
    assert ours.meta.endpoint_url == reference.meta.endpoint_url
    # The retry mode is awsprof's own choice ("standard"); the attempts come from the profile.
    attempts = ours.meta.config.retries.get("total_max_attempts")
    assert attempts == reference.meta.config.retries.get("total_max_attempts")
    assert attempts == (7 if profile == "dev" else None)
