"""A real SMTP server for the tests (aiosmtpd), on a free local port."""

import socket
from contextlib import contextmanager

from aiosmtpd.controller import Controller


class Inbox:
    """Collects what the server accepted; `refuse` makes it answer 550 to every recipient."""

    def __init__(self, *, refuse: bool = False):
        self.refuse = refuse
        self.messages: list[tuple[list[str], str]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def smtp_server(settings, *, port: int | None = None, refuse: bool = False):
    """Start a server and point Django's SMTP backend at it."""
    port = port or free_port()
    inbox = Inbox(refuse=refuse)
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    try:
        yield inbox
    finally:
        controller.stop()
