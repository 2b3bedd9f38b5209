"""Uploads: refused unread above the size limit, parsed with pypdf, no active content,
and the clamd virus-scan hook against a real (tiny) clamd socket server."""

import io
import socket
import struct
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, TextStringObject

from cstraject.dossiers.models import DossierDocument
from cstraject.web.pdf_check import active_content
from cstraject.web.services import pdf_check
from tests.factories import DossierFactory, pdf_bytes

from .test_wizard import DECLARATIONS

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def _writer() -> PdfWriter:
    writer = PdfWriter()
    writer.append(io.BytesIO(pdf_bytes()))
    return writer


def _bytes(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _action(kind: str, **entries) -> DictionaryObject:
    action = DictionaryObject({NameObject("/Type"): NameObject("/Action"), NameObject("/S"): NameObject(kind)})
    action.update({NameObject(k): v for k, v in entries.items()})
    return action


def pdf_with_javascript() -> bytes:
    """Document-level JavaScript in the catalogue's /Names tree (what add_js wrote in pypdf < 7)."""
    writer = _writer()
    script = writer._add_object(_action("/JavaScript", **{"/JS": TextStringObject("app.alert('hallo');")}))
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("hallo"), script])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): writer._add_object(tree)})
    return _bytes(writer)


def pdf_with_open_action_javascript() -> bytes:
    writer = _writer()
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(
        _action("/JavaScript", **{"/JS": TextStringObject("app.launchURL('http://example.invalid')")})
    )
    return _bytes(writer)


def pdf_with_launch_action() -> bytes:
    writer = _writer()
    writer._root_object[NameObject("/OpenAction")] = _action("/Launch", **{"/F": TextStringObject("calc.exe")})
    return _bytes(writer)


def pdf_with_page_aa() -> bytes:
    writer = _writer()
    page = writer.pages[0]
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): _action("/URI", **{"/URI": TextStringObject("x")})})
    return _bytes(writer)


def pdf_with_embedded_file() -> bytes:
    writer = _writer()
    writer.add_attachment("factuur.exe", b"MZ\x90\x00 not really a program")
    return _bytes(writer)


def pdf_with_open_destination() -> bytes:
    """An /OpenAction that is only a destination (open at page 1, fit): harmless, allowed."""
    writer = _writer()
    writer._root_object[NameObject("/OpenAction")] = ArrayObject(
        [writer.pages[0].indirect_reference, NameObject("/Fit")]
    )
    return _bytes(writer)


def pdf_with_eicar_text() -> bytes:
    """A valid PDF whose content stream carries the EICAR test string: only a virus scanner sees it."""
    writer = _writer()
    stream = DecodedStreamObject()
    stream.set_data(EICAR)
    writer._root_object[NameObject("/PieceInfo")] = writer._add_object(stream)
    return _bytes(writer)


HTML_POLYGLOT = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n" + pdf_bytes()[9:]


def check(content: bytes, name: str = "offerte.pdf"):
    return pdf_check(SimpleUploadedFile(name, content, content_type="application/pdf"), field="quote_file")


@pytest.mark.parametrize(
    "make, expected",
    [
        (pdf_with_javascript, "JavaScript"),
        (pdf_with_open_action_javascript, "JavaScript"),
        (pdf_with_launch_action, "Launch"),
        (pdf_with_page_aa, "automatische acties"),
        (pdf_with_embedded_file, "ingebedde bestanden"),
    ],
)
def test_active_content_is_refused_with_a_dutch_message(make, expected):
    content = make()
    assert content.startswith(b"%PDF-")  # they all pass the old magic-bytes check
    with pytest.raises(ValidationError) as error:
        check(content)
    message = error.value.message_dict["quote_file"][0]
    assert "wordt geweigerd" in message and expected in message


def test_open_action_javascript_is_named_as_an_action():
    assert "een actie bij het openen (/OpenAction)" in active_content(pdf_with_open_action_javascript())


def test_harmless_pdfs_pass():
    for content in (pdf_bytes(), pdf_with_open_destination(), pdf_with_eicar_text()):
        assert check(content).content == content


@pytest.mark.parametrize(
    "content, expected",
    [
        (HTML_POLYGLOT, "bevat HTML"),
        (EICAR, "begint niet met %PDF-"),
        (b"%PDF-1.7\n" + EICAR, "geen geldige PDF"),
        (b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", "geen geldige PDF"),
        (pdf_bytes()[:300], "geen geldige PDF"),
    ],
)
def test_files_that_do_not_parse_are_refused(content, expected):
    with pytest.raises(ValidationError) as error:
        check(content)
    assert expected in error.value.message_dict["quote_file"][0]


def test_malicious_pdf_through_the_wizard_stores_nothing(world, login, settings):
    dossier = DossierFactory(
        call=world["call"], provider=world["provider_a"], company=world["company_a"], status="draft"
    )
    client = login(world["users"]["provider"])
    response = client.post(
        reverse("web:provider_documents", args=[dossier.pk]),
        {
            "version": dossier.updated_at.isoformat(),
            "quote_file": SimpleUploadedFile("offerte.pdf", pdf_with_open_action_javascript()),
            "declarations_file": SimpleUploadedFile("verklaringen.pdf", pdf_bytes()),
            **DECLARATIONS,
        },
    )
    assert response.status_code == 400 and "JavaScript" in response.content.decode()
    assert not DossierDocument.objects.exists()
    assert not (settings.MEDIA_ROOT / "dossiers").exists()


# ------------------------------------------------------------------ size limits


class Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body of an oversized request was read")

    readline = read


def test_a_300_mb_body_is_refused_before_it_is_read(world, login):
    client = login(world["users"]["provider"])
    response = client.generic(
        "POST",
        reverse("web:provider_new"),
        b"",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(300 * 1024 * 1024),
        **{"wsgi.input": Unreadable()},
    )
    body = response.content.decode()
    assert response.status_code == 413
    assert 'lang="nl"' in body and "Bestand te groot" in body and "niet gelezen" in body


def test_one_file_over_10_mb_is_dropped_while_streaming(world, login):
    dossier = DossierFactory(
        call=world["call"], provider=world["provider_a"], company=world["company_a"], status="draft"
    )
    client = login(world["users"]["provider"])
    big = pdf_bytes() + b"%" * (10 * 1024 * 1024)
    response = client.post(
        reverse("web:provider_documents", args=[dossier.pk]),
        {
            "version": dossier.updated_at.isoformat(),
            "quote_file": SimpleUploadedFile("groot.pdf", big),
            "declarations_file": SimpleUploadedFile("verklaringen.pdf", pdf_bytes()),
            **DECLARATIONS,
        },
    )
    body = response.content.decode()
    assert response.status_code == 400 and "groot.pdf&#x27; is groter dan 10 MB" in body
    assert not DossierDocument.objects.exists()


# ------------------------------------------------------------------ the clamd hook


class FakeClamd:
    """A tiny clamd speaking INSTREAM on a real socket: FOUND when the EICAR string is in the stream."""

    def __init__(self, family, address):
        self.server = socket.socket(family, socket.SOCK_STREAM)
        self.server.bind(address)
        self.server.listen()
        self.received: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _read(self, conn, n):
        data = b""
        while len(data) < n:
            chunk = conn.recv(n - len(data))
            if not chunk:
                raise ConnectionError
            data += chunk
        return data

    def _serve(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                assert self._read(conn, 10) == b"zINSTREAM\0"
                data = b""
                while True:
                    (size,) = struct.unpack("!L", self._read(conn, 4))
                    if size == 0:
                        break
                    data += self._read(conn, size)
                self.received.append(data)
                found = EICAR in data
                conn.sendall(b"stream: Eicar-Test-Signature FOUND\0" if found else b"stream: OK\0")

    def close(self):
        self.server.close()


@pytest.fixture
def clamd_unix(tmp_path, settings):
    path = str(tmp_path / "clamd.sock")
    server = FakeClamd(socket.AF_UNIX, path)
    settings.CSTRAJECT_CLAMD_SOCKET = path
    yield server
    server.close()


@pytest.fixture
def clamd_tcp(settings):
    server = FakeClamd(socket.AF_INET, ("127.0.0.1", 0))
    host, port = server.server.getsockname()
    settings.CSTRAJECT_CLAMD_SOCKET = f"{host}:{port}"
    yield server
    server.close()


def test_clamd_refuses_the_eicar_test_file(clamd_unix):
    infected = pdf_with_eicar_text()
    with pytest.raises(ValidationError) as error:
        check(infected)
    assert "virusscan vond Eicar-Test-Signature" in error.value.message_dict["quote_file"][0]
    assert clamd_unix.received == [infected]


def test_clamd_passes_a_clean_file_over_tcp(clamd_tcp):
    clean = pdf_bytes() + b"%" * 200_000  # several INSTREAM chunks
    assert check(clean).content == clean
    assert clamd_tcp.received == [clean]


def test_no_answer_from_clamd_refuses_the_upload(settings, tmp_path):
    settings.CSTRAJECT_CLAMD_SOCKET = str(tmp_path / "nobody-listens.sock")
    with pytest.raises(ValidationError) as error:
        check(pdf_bytes())
    assert "kon niet op virussen gescand worden" in error.value.message_dict["quote_file"][0]


def test_scan_is_off_by_default(settings):
    assert settings.CSTRAJECT_CLAMD_SOCKET == ""
    assert check(pdf_with_eicar_text())
