"""Fill locale/en/LC_MESSAGES/django.po from `en.EN` and compile every .po with msgfmt.

Run after `django-admin makemessages -l en -l nl` (from src/cstraject). Dutch is
the source language: its .po stays with empty translations (the msgid is shown).
"""

import re
import subprocess
from pathlib import Path

from .en import EN

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def _unquote(block: str) -> str:
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block)).replace('\\"', '"').replace("\\n", "\n")


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def fill(po: Path, translations: dict[str, str]) -> tuple[int, list[str]]:
    text = po.read_text(encoding="utf-8")
    missing = []
    filled = 0

    def replace(match):
        nonlocal filled
        msgid = _unquote(match.group("id"))
        if not msgid:
            return match.group(0)
        if msgid in translations:
            filled += 1
            return f"{match.group('head')}msgstr {_quote(translations[msgid])}\n"
        missing.append(msgid)
        return match.group(0)

    pattern = re.compile(r'(?P<head>msgid (?P<id>(?:"[^\n]*"\n)+))msgstr (?:"[^\n]*"\n)+', re.M)
    text = pattern.sub(replace, text)
    text = text.replace("#, fuzzy\n", "")
    # A literal "%" (45 %) is not a format directive unless the string has named placeholders.
    text = re.sub(r'#, python-format\n(?=msgid (?:"[^\n]*"\n)+)(?!msgid "[^\n]*%\()', "", text)
    po.write_text(text, encoding="utf-8")
    return filled, missing


def main() -> None:
    filled, missing = fill(LOCALE / "en" / "LC_MESSAGES" / "django.po", EN)
    print(f"en: {filled} translated, {len(missing)} left in Dutch")
    for msgid in missing:
        print("  untranslated:", msgid)
    for po in LOCALE.glob("*/LC_MESSAGES/django.po"):
        subprocess.run(["msgfmt", "--check-format", "-o", str(po.with_suffix(".mo")), str(po)], check=True)


if __name__ == "__main__":
    main()
