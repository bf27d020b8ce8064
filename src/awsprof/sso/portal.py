"""The IAM Identity Center portal's two listing calls, for ``sso populate``, at a fraction of the
CPU of a botocore client call.

``sso populate`` makes one ListAccountRoles call per account: 5,000 calls for 5,000 accounts,
and its time was almost all botocore's per-call pipeline (parameter validation, serialisation,
event hooks, retry handlers, the response parser): 1.6 ms of CPU per call. This module builds
the two GET requests itself and reads their JSON, but keeps botocore for everything that must
match the AWS CLI exactly:

- the endpoint is the botocore client's own (``client.meta.endpoint_url``): ``endpoint_url``,
  ``AWS_ENDPOINT_URL_SSO``, ``[services]`` and the region are resolved by botocore;
- the requests go through the client's own HTTP session, which botocore configured with the
  proxies (``HTTPS_PROXY``/``NO_PROXY``, ``proxies`` config), the CA bundle (``AWS_CA_BUNDLE``,
  ``ca_bundle``), the client certificate and the timeouts, and which maps transport failures to
  botocore's exceptions.

Why the session and not a urllib3 pool of our own: measured against the sandbox's emulator (10
threads, 2,000 accounts), a ListAccountRoles call costs 0.9 ms of CPU through the session and
0.7 ms through a bare urllib3 pool, while the emulator spends 1.1 to 1.2 ms answering it: below
that the portal, not awsprof, paces a run, so the pool's 0.2 ms would buy little and would need
a second copy of botocore's proxy and certificate rules (docs/benchmarks.md, "SSO populate").

Errors are read as botocore's rest-json parser reads them and raised as botocore's
``ClientError``, so populate's backoff treats an answer exactly as it treated the client's.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from awsprof.errors import ServiceError

BEARER_HEADER = "x-amz-sso_bearer_token"
# The members botocore's model gives each item (it drops any other key, and null values).
ACCOUNT_MEMBERS = ("accountId", "accountName", "emailAddress")
ROLE_MEMBERS = ("roleName", "accountId")


def http_session(client: Any) -> Any:
    """The HTTP session botocore configured for ``client`` (proxies, CA bundle, timeouts).

    botocore has no public accessor for it: ``_endpoint.http_session`` is private, and
    tests/sso/test_sso_portal.py fails if it disappears. None then, and the caller falls back
    to the client itself (slower, never wrong)."""
    endpoint = getattr(client, "_endpoint", None)
    session = getattr(endpoint, "http_session", None)
    return session if callable(getattr(session, "send", None)) else None


def portal_for(client: Any) -> Any:
    """What ``populate.fetch_assignments`` takes: the fast portal, or the client as it is."""
    session = http_session(client)
    if session is None:
        return client
    return Portal(client.meta.endpoint_url, session, client.meta.config.user_agent)


class Portal:
    """``list_accounts`` and ``list_account_roles`` with botocore's parameters and answers."""

    def __init__(self, endpoint_url: str, session: Any, user_agent: str | None = None) -> None:
        # botocore joins the request path to the endpoint's path the same way (one '/').
        self._base = endpoint_url[:-1] if endpoint_url.endswith("/") else endpoint_url
        self._session = session
        # botocore's own (without its per-call metrics suffix), not urllib3's.
        self._headers = {"User-Agent": user_agent} if user_agent else {}

    def list_accounts(
        self, *, accessToken: str, maxResults: int | None = None, nextToken: str | None = None
    ) -> dict[str, Any]:
        query = _query(max_result=maxResults, next_token=nextToken)
        answer = self._get("ListAccounts", "/assignment/accounts", query, accessToken)
        return _shaped(answer, "accountList", ACCOUNT_MEMBERS)

    def list_account_roles(
        self,
        *,
        accessToken: str,
        accountId: str,
        maxResults: int | None = None,
        nextToken: str | None = None,
    ) -> dict[str, Any]:
        query = _query(account_id=accountId, max_result=maxResults, next_token=nextToken)
        answer = self._get("ListAccountRoles", "/assignment/roles", query, accessToken)
        return _shaped(answer, "roleList", ROLE_MEMBERS)

    def _get(self, operation: str, path: str, query: str, token: str) -> dict[str, Any]:
        from botocore.awsrequest import AWSPreparedRequest

        url = f"{self._base}{path}?{query}"
        headers = {**self._headers, BEARER_HEADER: token}
        request = AWSPreparedRequest("GET", url, headers, None, False)
        response = self._session.send(request)  # botocore's exceptions for transport failures
        status: int = response.status_code
        content: bytes = response.content
        if status >= 300:
            raise _error(operation, self._base, status, response.headers, content)
        body = _json(content)
        if not isinstance(body, dict):
            raise _not_json(operation, self._base, status)
        return body


def _query(**values: object) -> str:
    """Percent-encoded as botocore encodes query strings (nothing but ``-_.~`` left as is)."""
    present = [(name, str(value)) for name, value in values.items() if value is not None]
    return urlencode(present, quote_via=quote, safe="-_.~")


def _json(content: bytes) -> object:
    """The body parsed, ``{}`` when empty (as botocore reads it), None when it is not JSON."""
    if not content.strip():
        return {}
    try:
        return json.loads(content)
    except ValueError:  # UnicodeDecodeError is one
        return None


def _shaped(answer: dict[str, Any], key: str, members: tuple[str, ...]) -> dict[str, Any]:
    items = answer.get(key)
    shaped: dict[str, Any] = {}
    if isinstance(items, list):
        shaped[key] = [
            {m: item[m] for m in members if item.get(m) is not None}
            for item in items
            if isinstance(item, dict)
        ]
    if answer.get("nextToken") is not None:
        shaped["nextToken"] = answer["nextToken"]
    return shaped


def _code(value: str) -> str:
    """``prefix#Code:detail`` -> ``Code``, botocore's reading of error types."""
    return value.split(":", 1)[0].rsplit("#", 1)[-1]


def _error(operation: str, endpoint: str, status: int, headers: Any, content: bytes) -> Exception:
    """A botocore ``ClientError`` as botocore's rest-json parser reads the answer: the code from
    the ``x-amzn-ErrorType`` header, else the body's ``code``, else its ``__type``, else the
    status; a 5xx that is empty or an HTML page is botocore's "generic" error (the status and
    its reason). Any other body that is not JSON is a ServiceError that says so, unless the
    status asks for a retry (429) or the header still names the error."""
    from http.client import responses

    from botocore.exceptions import ClientError

    stripped = content.strip()
    if status >= 500 and (not stripped or stripped.startswith(b"<html>")):
        code, message = str(status), responses.get(status, "")
    else:
        header = headers.get("x-amzn-ErrorType")
        body = _json(content)
        if not isinstance(body, dict):
            if header is None and status != 429 and status < 500:
                return _not_json(operation, endpoint, status)
            body = {"message": content.decode("utf-8", "replace")}  # botocore keeps the text
        if header is not None:
            code = _code(str(header))
        elif body.get("code", body.get("Code")) is not None:
            code = _code(str(body.get("code", body.get("Code"))))
        elif isinstance(body.get("__type"), str):
            code = _code(body["__type"])
        else:
            code = str(status)
        message = str(body.get("message", body.get("Message", "")))
    error = {"Code": code, "Message": message}
    raised: Exception = ClientError(
        {"Error": error, "ResponseMetadata": {"HTTPStatusCode": status}}, operation
    )
    return raised


def _not_json(operation: str, endpoint: str, status: int) -> ServiceError:
    parts = urlsplit(endpoint)
    if "@" in parts.netloc:  # a user:password in the URL is never shown
        endpoint = parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()
    return ServiceError(
        f"the IAM Identity Center portal at {endpoint} answered {operation} (HTTP {status}) "
        "with something that is not an AWS JSON answer (an HTML page?)",
        "Check the sso endpoint: endpoint_url or [services] of the session's profile, "
        "AWS_ENDPOINT_URL_SSO, sso_region; and any proxy between (HTTPS_PROXY, NO_PROXY).",
    )
