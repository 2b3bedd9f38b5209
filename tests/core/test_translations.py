"""The English catalogue is complete, consistent with the source and compiled.

Dutch is the source language: every user-facing string is a Dutch msgid, and
`locale/en/LC_MESSAGES/django.po` carries its English text. These tests fail
on an untranslated or fuzzy entry, on a placeholder the translation lost or
invented, on a .mo that was not recompiled, and on a string in the code that
makemessages has not yet brought into the catalogue (docs/translations.md).
"""

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings

import cstraject

PACKAGE = Path(cstraject.__file__).resolve().parent
PO = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[sdfrxi]|%[sdfri]")


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(PO))


def _translations(entry):
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def test_every_entry_is_translated_and_none_is_fuzzy(catalogue):
    untranslated = [e.msgid for e in catalogue if not all(_translations(e))]
    fuzzy = [e.msgid for e in catalogue if "fuzzy" in e.flags]
    assert not untranslated, f"{len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


def test_translations_keep_the_placeholders(catalogue):
    wrong = []
    for entry in catalogue:
        if "python-format" not in entry.flags:
            continue
        expected = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        for text in filter(None, _translations(entry)):
            if sorted(PLACEHOLDER.findall(text)) != expected and not (
                entry.msgid_plural and set(PLACEHOLDER.findall(text)) <= set(expected)
            ):
                wrong.append((entry.msgid, text))
    assert not wrong, f"placeholders differ: {wrong[:5]}"


def test_the_compiled_catalogue_matches_the_source(catalogue):
    compiled = {(e.msgctxt, e.msgid): _translations(e) for e in polib.mofile(str(MO)) if e.msgid}
    source = {
        (e.msgctxt, e.msgid): _translations(e) for e in catalogue if all(_translations(e)) and "fuzzy" not in e.flags
    }
    assert compiled == source, "locale/en/LC_MESSAGES/django.mo is stale: run compilemessages"


def test_every_string_in_the_code_is_in_the_catalogue(tmp_path, monkeypatch):
    copy = tmp_path / "cstraject"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "static"))
    (copy / "locale").mkdir()
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command("makemessages", locale=["en"], no_location=True, verbosity=0)
    fresh = {(e.msgctxt, e.msgid) for e in polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))}
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(PO))}
    assert not fresh - committed, f"not in the catalogue (run makemessages): {sorted(fresh - committed)[:5]}"
    assert not committed - fresh, f"no longer in the code (makemessages --no-obsolete): {sorted(committed - fresh)[:5]}"
