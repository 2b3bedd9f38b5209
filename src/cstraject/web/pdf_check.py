"""What makes an uploaded PDF acceptable: it parses as a PDF (pypdf), it is not
an HTML polyglot, and it carries no active content.

Refused, with a Dutch message naming what was found:
- files pypdf cannot read (no catalogue, no pages, broken structure, a password);
- HTML in the first kilobyte (a browser that sniffs would render it);
- JavaScript (/JS, /JavaScript), launch actions (/Launch), automatic actions
  (/AA), an /OpenAction that is an ACTION (a dictionary). An /OpenAction that
  is only a destination ("open at page 1, fit width", an array) is allowed:
  office software writes it into ordinary PDFs and it runs nothing;
- embedded files (/EmbeddedFile(s), /EF, file-attachment annotations) and rich media.

Every object is inspected: those listed in the cross-reference table (also
inside object streams) and those reachable from the trailer. A raw scan of
the bytes adds the same names written outside any object pypdf indexes.
"""

import io
import logging
import re

from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

logger = logging.getLogger(__name__)

HTML_MARKERS = (b"<html", b"<!doctype", b"<script", b"<body", b"<iframe", b"<svg", b"<head")

# key in any dictionary -> what it means
ACTIVE_KEYS = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/AA": "automatische acties (/AA)",
    "/Launch": "een Launch-actie",
    "/EmbeddedFile": "ingebedde bestanden",
    "/EmbeddedFiles": "ingebedde bestanden",
    "/EF": "ingebedde bestanden",
    "/RichMedia": "rich media",
}
# value of /S (action type), /Type or /Subtype -> what it means
ACTIVE_NAMES = {
    "/JavaScript": "JavaScript",
    "/Launch": "een Launch-actie",
    "/EmbeddedFile": "ingebedde bestanden",
    "/FileAttachment": "ingebedde bestanden",
    "/RichMedia": "rich media",
}
RAW_PATTERN = re.compile(rb"/(JavaScript|JS|Launch|AA|EmbeddedFiles?|RichMedia)(?=[\s/<>\[\]()%]|$)")
STREAM_DATA = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)
MAX_OBJECTS = 200_000
MAX_DEPTH = 64


class PdfRefused(Exception):
    """The upload is not an acceptable PDF; the message is for the user (Dutch)."""


def _value(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _scan(obj, found: set[str], pending: list, depth: int = 0) -> None:
    """Record active content in `obj` (one object, not following references: they go to `pending`)."""
    if depth > MAX_DEPTH:
        raise PdfRefused(_("de structuur is te diep genest"))
    if isinstance(obj, IndirectObject):
        pending.append(obj)
        return
    if isinstance(obj, DictionaryObject):
        for key, value in obj.items():
            if key in ACTIVE_KEYS:
                found.add(ACTIVE_KEYS[key])
            if key == "/OpenAction" and isinstance(_value(value), DictionaryObject):
                found.add("een actie bij het openen (/OpenAction)")
            if key in ("/S", "/Type", "/Subtype") and isinstance(value, NameObject) and value in ACTIVE_NAMES:
                found.add(ACTIVE_NAMES[value])
            _scan(value, found, pending, depth + 1)
    elif isinstance(obj, ArrayObject):
        for item in obj:
            _scan(item, found, pending, depth + 1)


def _objects(reader: PdfReader):
    """Every indirect object pypdf indexes (cross-reference table and object streams)."""
    for generation, numbers in reader.xref.items():
        for number in numbers:
            yield IndirectObject(number, generation, reader)
    for number in reader.xref_objStm:
        yield IndirectObject(number, 0, reader)


def active_content(content: bytes) -> list[str]:
    """What is active in the PDF `content` (empty when none); PdfRefused when it does not parse."""
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfRefused(_("het bestand is met een wachtwoord beveiligd"))
        root = reader.trailer["/Root"].get_object()
        if not isinstance(root, DictionaryObject) or len(reader.pages) < 1:
            raise PdfRefused(_("het bestand heeft geen pagina's"))
        found: set[str] = set()
        pending: list = [*_objects(reader)]
        _scan(reader.trailer, found, pending)
        seen: set[tuple[int, int]] = set()
        while pending:
            reference = pending.pop()
            key = (reference.idnum, reference.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > MAX_OBJECTS:
                raise PdfRefused(_("het bestand bevat te veel objecten"))
            _scan(reference.get_object(), found, pending)
    except PdfRefused:
        raise
    except (PyPdfError, KeyError, ValueError, TypeError, AttributeError, IndexError, RecursionError) as error:
        logger.info("PDF refused, does not parse: %s", error)
        raise PdfRefused(_("het bestand is geen geldige PDF (het kan niet gelezen worden)")) from None
    except Exception as error:  # pypdf raises many kinds on hostile input; none may become a 500
        logger.warning("PDF refused, parser error %s: %s", type(error).__name__, error)
        raise PdfRefused(_("het bestand is geen geldige PDF (het kan niet gelezen worden)")) from None
    # Outside streams only: compressed stream data is binary and would match by chance.
    for match in RAW_PATTERN.finditer(STREAM_DATA.sub(b"stream endstream", content)):
        name = "/" + match.group(1).decode()
        found.add(ACTIVE_KEYS.get(name) or ACTIVE_NAMES[name])
    return sorted(found)


def html_sniffed(content: bytes) -> bool:
    """True when a browser sniffing the first kilobyte could take the file for HTML."""
    head = content[:1024].lower()
    return any(marker in head for marker in HTML_MARKERS)
