"""The virus-scan hook for uploads: ClamAV's clamd when configured, off by default.

Setting `CSTRAJECT_CLAMD_SOCKET` (environment variable of the same name):
a Unix socket path (`/run/clamav/clamd.ctl`) or `host:port` (`127.0.0.1:3310`).
Empty: no scan. When a scanner is configured and cannot answer, the upload is
refused (fail closed): an unscanned file never reaches a case handler.

The protocol is clamd's INSTREAM: `zINSTREAM\\0`, then chunks of
<4-byte big-endian length><data>, a zero-length chunk to end; clamd answers
`stream: OK\\0` or `stream: <signature> FOUND\\0`.
"""

import socket
import struct
from dataclasses import dataclass

from django.conf import settings

CHUNK = 64 * 1024
TIMEOUT_SECONDS = 30


class ScanUnavailable(Exception):
    """The configured scanner did not answer."""


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    signature: str = ""


def _connect(address: str) -> socket.socket:
    if ":" in address and not address.startswith("/"):
        host, _sep, port = address.rpartition(":")
        return socket.create_connection((host, int(port)), timeout=TIMEOUT_SECONDS)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(TIMEOUT_SECONDS)
    sock.connect(address)
    return sock


def clamd_instream(content: bytes, *, address: str) -> ScanResult:
    """Scan `content` with the clamd at `address`."""
    try:
        with _connect(address) as sock:
            sock.sendall(b"zINSTREAM\0")
            for start in range(0, len(content), CHUNK):
                chunk = content[start : start + CHUNK]
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0") and len(reply) < 4096:
                data = sock.recv(4096)
                if not data:
                    break
                reply += data
    except (OSError, ValueError) as error:
        raise ScanUnavailable(f"clamd at {address}: {error}") from None
    text = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    if text.endswith("OK"):
        return ScanResult(clean=True)
    if text.endswith("FOUND"):
        signature = text.removeprefix("stream:").removesuffix("FOUND").strip()
        return ScanResult(clean=False, signature=signature)
    raise ScanUnavailable(f"clamd at {address} answered {text[:200]!r}")


def virus_scan(content: bytes) -> ScanResult | None:
    """Scan with the configured scanner; None when no scanner is configured."""
    address = getattr(settings, "CSTRAJECT_CLAMD_SOCKET", "")
    if not address:
        return None
    return clamd_instream(content, address=address)
