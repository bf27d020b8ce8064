"""Secrets masked in a command line before the guard shows it (the box, `guard --dry-run`).

A secret can reach argv in many forms, and each is masked with the AWS CLI's mask (16 `*` and the
last 4 characters):

- the value of a secret-bearing option, typed in full (`--secret-string X`, `--secret-string=X`)
  or abbreviated (`--secret-s X`; an ambiguous prefix with any secret candidate counts too). The
  operation's model says which members are sensitive; names like password/secret/token count
  whatever the model says;
- values under secret-looking keys inside JSON (`{"SecretString": "x"}`, `--cli-input-json`),
  YAML-like `key: value` text and AWS shorthand (`Password=x`, `Key=DbPassword,Value=x`);
- `aws configure set aws_secret_access_key X` and SSM `--value` of a parameter;
- a password in a URL (`https://user:password@host`);
- anything shaped like a secret access key or a session token, anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from awsprof.secrets import mask, scrub

# Words that make a name secret, once lower-cased without separators...
_SECRET_WORDS = (
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "privatekey",
    "plaintext",
    "ssecustomerkey",
    "sseckey",
    "sseccopysourcekey",
    "apikey",
    "authkey",
    "credential",
)
# ...unless it names or points at the secret rather than holding it.
_NOT_SECRET_ENDINGS = (
    "id",
    "ids",
    "arn",
    "arns",
    "name",
    "names",
    "type",
    "types",
    "nexttoken",
    "startingtoken",
    "continuationtoken",
    "paginationtoken",
    "requesttoken",
    "count",
    "expiration",
)
_SETTINGS = ("aws_secret_access_key", "aws_session_token", "aws_security_token")


def _flat(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _may_name_secret(text: str) -> bool:
    """Whether any part of ``text`` could be a secret name: a secret word in it, flattened.

    A key or name cut from ``text``, flattened, is a part of ``text`` flattened, so text without
    any secret word holds no secret-named pair (and the pair expressions need not even run).
    """
    flat = _flat(text)
    return any(word in flat for word in _SECRET_WORDS)


def is_secret_name(name: str) -> bool:
    """Whether an option, key or setting of this name holds a secret value."""
    flat = _flat(name)
    if not any(word in flat for word in _SECRET_WORDS):
        return False
    return not flat.endswith(_NOT_SECRET_ENDINGS)


def _secret_option(name: str, service: str, operation: str, model: object) -> bool:
    from awsprof.guard import classify, grammar

    if is_secret_name(name):
        return True
    if service == "s3":
        known = classify.S3_COMMAND_OPTIONS.get(operation, frozenset())
        candidates = classify.expand(name, known)
        return any(is_secret_name(option) for option in candidates)
    if isinstance(model, grammar.OperationOptions):
        candidates = classify.expand(name, model.options)
        return any(c in model.secret or is_secret_name(c) for c in candidates)
    return False


# The expressions are compiled on first use (``re``'s cache), only for text that may need them:
# compiling them all costs about a millisecond of every guarded command's start-up.
# `key=value` in shorthand or `key: value` / `"key": "value"` in YAML or broken JSON.
_PAIR = (
    r"""(?P<key>[A-Za-z0-9_.\-]+)(?P<q>["']?)(?P<sep>\s*[:=]\s*)"""
    r"""(?P<value>"[^"]*"|'[^']*'|[^,\s\]}"']+)"""
)
# `Key=DbPassword,Value=x` and `ParameterKey=...,ParameterValue=...`: the secret is named apart.
_NAMED_VALUE = (
    r"""(?i)(?P<head>\b\w*(?:Key|Name)["']?\s*[:=]\s*["']?(?P<name>[^"',\s\]}]+)["']?\s*,\s*"""
    r"""["']?\w*Value["']?\s*[:=]\s*)(?P<value>"[^"]*"|'[^']*'|[^,\s\]}"']+)"""
)


# `scheme://user:password@host`: the password part.
_URL_PASSWORD = r"(?P<head>://[^/@\s:]*:)(?P<value>[^/@\s]+)(?=@)"  # noqa: S105 - an expression


def _masked_value(value: str) -> str:
    for quote in ('"', "'"):
        if len(value) >= 2 and value[0] == quote and value[-1] == quote:
            return quote + (mask(value[1:-1]) or "") + quote
    return mask(value) or ""


def _mask_json_value(value: object) -> object:
    if isinstance(value, dict):
        return {key: _mask_json_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_mask_json_value(item) for item in value]
    if value is None or isinstance(value, bool):
        return value
    return mask(str(value))


def _mask_json(value: object) -> object:
    if isinstance(value, list):
        return [_mask_json(item) for item in value]
    if not isinstance(value, dict):
        return value
    named = [
        str(item)
        for key, item in value.items()
        if isinstance(item, str) and str(key).lower().endswith(("key", "name"))
    ]
    holds_secret = any(is_secret_name(name) for name in named)
    return {
        key: _mask_json_value(item)
        if is_secret_name(str(key)) or (holds_secret and str(key).lower().endswith("value"))
        else _mask_json(item)
        for key, item in value.items()
    }


def mask_text(text: str) -> str:
    """`text` (a value typed on the line) with every secret it may hold masked."""
    stripped = text.strip()
    if stripped[:1] in ("{", "["):
        import json

        try:
            data = json.loads(stripped)
        except ValueError:
            pass
        else:
            masked = _mask_json(data)
            return scrub(json.dumps(masked) if masked != data else text)
    if _may_name_secret(text):
        text = re.sub(
            _NAMED_VALUE,
            lambda m: (
                m.group("head") + _masked_value(m.group("value"))
                if is_secret_name(m.group("name"))
                else m.group(0)
            ),
            text,
        )
        text = re.sub(
            _PAIR,
            lambda m: (
                m.group(0)[: m.start("value") - m.start()] + _masked_value(m.group("value"))
                if is_secret_name(m.group("key"))
                else m.group(0)
            ),
            text,
        )
    if "@" in text and "://" in text:
        text = re.sub(
            _URL_PASSWORD, lambda m: m.group("head") + _masked_value(m.group("value")), text
        )
    return scrub(text)


def mask_argv(argv: Sequence[str]) -> list[str]:
    """`argv` (without the leading `aws`) as it may be shown to a person."""
    from awsprof.guard import classify, grammar

    command = classify._parse(argv)
    service = command.words[0].lower() if command.words else ""
    operation = command.words[1].lower() if len(command.words) > 1 else ""
    model: object = None
    own_options = [arg for arg in command.rest if arg.startswith("--") and len(arg) > 2]
    if own_options and operation and service != "s3":  # a line without options needs no model
        model = grammar.operation_options(service, operation)
    is_ssm_parameter = (service, operation) == ("ssm", "put-parameter")
    shown: list[str] = []
    hide_next = False
    end_of_options = False
    for arg in argv:
        if hide_next and not (arg.startswith("--") and len(arg) > 2):
            shown.append(mask(arg) or "")
            hide_next = False
            continue
        hide_next = False
        if end_of_options or not arg.startswith("--") or arg == "--":
            end_of_options = end_of_options or arg == "--"
            shown.append(mask_text(arg))
            hide_next = arg.rpartition(".")[2].lower() in _SETTINGS
            continue
        name, has_value, value = arg.partition("=")
        secret = classify._global_option(name) is None and (
            _secret_option(name, service, operation, model)
            or (is_ssm_parameter and classify.expand(name, {"--value"}) == ("--value",))
        )
        if has_value:
            shown.append(f"{name}={mask(value) if secret else mask_text(value)}")
        else:
            shown.append(mask_text(arg))
            hide_next = secret
    return shown
