"""The portal leaves no TIME_WAIT connection on its own port.

werkzeug closes every connection after one answer; closed by the server, each one waited in
TIME_WAIT on the server's port, and past a few thousand (one per account in `sso populate`)
new connections started to collide with them (a SYN to a TIME_WAIT pair waits a second): a
populate of 20,000 accounts took more than four times one of 5,000. The client now closes first,
and the server then resets the connection, so the client keeps no TIME_WAIT either.
"""

from __future__ import annotations

import contextlib
import socket
import time
from pathlib import Path

from fixtures_sandbox import Sandbox

TIME_WAIT = "06"  # the state's code in /proc/net/tcp


def time_wait_on_port(port: int, end: int = 1) -> int:
    """TCP connections in TIME_WAIT whose local (``end`` 1) or remote (2) end is ``port``."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            address, state = fields[end], fields[3]
            if state == TIME_WAIT and int(address.rsplit(":", 1)[1], 16) == port:
                count += 1
    return count


def _one_request_closed_late(port: int) -> bytes:
    """One request on its own connection; the answer is read whole, then the client waits a
    moment before it closes (what a busy client does): the server must not close first."""
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(b"GET /no-such-path HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        connection.settimeout(0.5)
        answer = b""
        with contextlib.suppress(TimeoutError):
            while chunk := connection.recv(4096):
                answer += chunk
        time.sleep(0.1)
    return answer


def test_portal_connections_leave_no_time_wait_on_the_server_port(sandbox: Sandbox) -> None:
    before = time_wait_on_port(sandbox.idc_port)
    answers = [_one_request_closed_late(sandbox.idc_port) for _ in range(5)]
    assert all(answer.startswith(b"HTTP/1.1 404") for answer in answers)
    time.sleep(0.2)  # the last close reaches the server
    assert time_wait_on_port(sandbox.idc_port) - before <= 0


def test_portal_connections_leave_no_time_wait_on_the_client_side_either(
    sandbox: Sandbox,
) -> None:
    """Once the client has read the answer and closed, the server resets the connection: a
    client's ports are not held for a minute each (20,000 accounts in a populate collided with
    their own TIME_WAIT connections)."""
    before = time_wait_on_port(sandbox.idc_port, end=2)
    answers = [_one_request_closed_late(sandbox.idc_port) for _ in range(5)]
    assert all(answer.startswith(b"HTTP/1.1 404") for answer in answers)
    time.sleep(0.2)
    assert time_wait_on_port(sandbox.idc_port, end=2) - before <= 0
