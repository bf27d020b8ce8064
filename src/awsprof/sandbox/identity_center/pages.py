"""The few HTML pages a person (or a test's real browser) sees: approve a login, enter a device
code, land on the "console" after a federation sign-in. Every value is escaped."""

from __future__ import annotations

from html import escape

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}"
    "button{font-size:1rem;padding:.5rem 1.5rem;margin-right:.5rem}"
    ".note{color:#555}code{background:#eee;padding:.1rem .3rem}"
)


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>{body}"
        "<p class=note>awsprof sandbox: an emulated IAM Identity Center on this machine.</p>"
        "</body></html>"
    )


def authorize_page(request_id: str, client_name: str, user: str, scopes: tuple[str, ...]) -> str:
    return _page(
        "Allow access?",
        f"<p>The application <b>{escape(client_name)}</b> asks to use your access as "
        f"<b>{escape(user)}</b>.</p>"
        f"<p>Scopes: <code>{escape(' '.join(scopes) or '(none)')}</code></p>"
        "<form method=post action=/authorize/decision>"
        f'<input type=hidden name=request_id value="{escape(request_id)}">'
        "<button type=submit name=decision value=allow id=allow>Allow</button>"
        "<button type=submit name=decision value=deny id=deny>Deny</button></form>",
    )


def device_code_entry_page(message: str = "") -> str:
    warning = f"<p><b>{escape(message)}</b></p>" if message else ""
    return _page(
        "Authorize request",
        f"{warning}<p>Enter the code shown by the application.</p>"
        "<form method=get action=/device>"
        "<input name=user_code id=user_code autocomplete=off placeholder=ABCD-EFGH>"
        "<button type=submit id=next>Next</button></form>",
    )


def device_confirm_page(user_code: str, client_name: str, user: str) -> str:
    return _page(
        "Allow access?",
        f"<p>Code <code id=code>{escape(user_code)}</code>: the application "
        f"<b>{escape(client_name)}</b> asks to use your access as <b>{escape(user)}</b>.</p>"
        "<form method=post action=/device>"
        f'<input type=hidden name=user_code value="{escape(user_code)}">'
        "<button type=submit name=decision value=allow id=allow>Allow</button>"
        "<button type=submit name=decision value=deny id=deny>Deny</button></form>",
    )


def done_page(approved: bool) -> str:
    if approved:
        return _page("Request approved", "<p id=result>You can close this window.</p>")
    return _page("Request denied", "<p id=result>Access was not granted.</p>")


def error_page(title: str, message: str) -> str:
    return _page(title, f"<p id=error>{escape(message)}</p>")


def console_page(arn: str, destination: str) -> str:
    return _page(
        "Signed in",
        f"<p>Signed in to the sandbox console as <code id=arn>{escape(arn)}</code>.</p>"
        f"<p>Destination: <code id=destination>{escape(destination)}</code></p>",
    )


def signin_authorize_page(request_id: str, client_id: str, choices: list[tuple[str, str]]) -> str:
    """The Sign-In consent page of ``aws login``: pick the console session to hand over."""
    options = "".join(
        f'<option value="{escape(a)}/{escape(p)}">{escape(p)} in {escape(a)}</option>'
        for a, p in choices
    )
    return _page(
        "Sign in to the AWS CLI?",
        f"<p>A developer tool (<code>{escape(client_id)}</code>) asks for credentials of your "
        "console session.</p>"
        "<form method=post action=/v1/authorize/decision>"
        f'<input type=hidden name=request_id value="{escape(request_id)}">'
        f"<p><label>Session <select name=identity id=identity>{options}</select></label></p>"
        "<button type=submit name=decision value=allow id=allow>Allow</button>"
        "<button type=submit name=decision value=deny id=deny>Deny</button></form>",
    )


def signin_confirmation_page(verification_code: str) -> str:
    """Cross-device login: the code to paste into the terminal that ran ``login --remote``."""
    return _page(
        "Enter this code in your terminal",
        f"<p><code id=verification-code>{escape(verification_code)}</code></p>",
    )
