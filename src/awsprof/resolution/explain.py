"""``whoami --explain``: the resolution told in a few lines for a person."""

from __future__ import annotations

import datetime as dt

from awsprof.credentials import format_iso
from awsprof.resolution.chain import Resolution
from awsprof.resolution.identity import Identity


def _left(expiration: dt.datetime, now: dt.datetime) -> str:
    seconds = int((expiration - now).total_seconds())
    if seconds <= 0:
        return "expired"
    hours, rest = divmod(seconds, 3600)
    return f"{hours} h {rest // 60} min left" if hours else f"{rest // 60} min left"


def explain(
    resolution: Resolution,
    identity: Identity | None,
    alias: str | None,
    now: dt.datetime,
    sso_token_expiry: list[tuple[str, dt.datetime]] | None = None,
) -> list[str]:
    lines = [f"Profile:  {resolution.selection.describe()}"]
    if len(resolution.links) > 1:
        lines.append(f"Chain:    {resolution.chain}")
    for number, link in enumerate(resolution.links, 1):
        who = link.profile or "(environment)"
        lines.append(f"  {number}. {who}: {link.provider}")
        width = max((len(f"{u.key} = {u.shown}") for u in link.used), default=0)
        for setting in link.used:
            text = f"{setting.key} = {setting.shown}"
            lines.append(f"       {text.ljust(width)}   {setting.where}")
        if link.expiration is not None:
            origin = "cached in " + str(link.cache_file) if link.from_cache else "fetched now"
            if link.from_cache is False and link.cache_file is not None:
                origin += f", cached in {link.cache_file}"
            lines.append(
                f"       credentials expire {format_iso(link.expiration)} "
                f"({_left(link.expiration, now)}); {origin}"
            )
    if identity is not None:
        named = f" ({alias})" if alias else ""
        lines.append(f"Account:  {identity.account}{named}")
        lines.append(f"Identity: {identity.arn}")
    elif resolution.account_id:
        lines.append(f"Account:  {resolution.account_id}")
    region = resolution.region
    lines.append(
        f"Region:   {region.name} (from {region.source})" if region.name else "Region:   (none set)"
    )
    for session, expiry in sso_token_expiry or []:
        left = _left(expiry, now)
        lines.append(f"SSO:      session '{session}' token expires {format_iso(expiry)} ({left})")
    for note in resolution.notes:
        lines.append(f"Note:     {note}")
    return lines
