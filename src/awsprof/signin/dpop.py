"""DPoP proofs (RFC 9449) for the Sign-In token endpoint, with a P-256 key.

The key is kept in the login cache as ``dpopKey``: a SEC1 ("EC PRIVATE KEY") PEM, as the AWS CLI
writes it, so either tool refreshes the other's login. ``cryptography`` is imported here only,
and this module only by a login or a refresh: the hot commands never load it.
"""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

from awsprof.errors import LoginRequiredError


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def generate_key() -> Any:
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.generate_private_key(ec.SECP256R1())


def key_to_pem(key: Any) -> str:
    """SEC1 PEM with 64-character lines and a final newline (the AWS CLI's ``dpopKey``)."""
    from cryptography.hazmat.primitives import serialization

    data: bytes = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    return data.decode("ascii")


def key_from_pem(text: str, where: str, hint: str) -> Any:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    try:
        key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
    except (ValueError, TypeError, UnicodeEncodeError):
        key = None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise LoginRequiredError(f"the DPoP key in {where} is not a P-256 private key", hint)
    return key


def proof(key: Any, url: str, now: int) -> str:
    """A proof for ``POST url``: header with the public jwk, htm/htu/iat/jti, ES256 signature."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    numbers = key.public_key().public_numbers()
    jwk = {
        "kty": "EC",
        "x": _b64url(numbers.x.to_bytes(32, "big")),
        "y": _b64url(numbers.y.to_bytes(32, "big")),
        "crv": "P-256",
    }
    header = {"typ": "dpop+jwt", "alg": "ES256", "jwk": jwk}
    claims = {"htm": "POST", "htu": url, "iat": now, "jti": str(uuid.uuid4())}
    signing_input = ".".join(
        _b64url(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims)
    )
    der = key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    return f"{signing_input}.{_b64url(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"
