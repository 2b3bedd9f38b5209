"""Normalised text for searching: case- and accent-insensitive.

`search_text("Bäkkerij  Van Éénde")` -> "bakkerij van eende". Stored beside
the original (e.g. `Company.search_name`) so the database compares plain
lower-case text with an index (PostgreSQL: trigram; SQLite: the column's own
index, scanned instead of the table).
"""

import re
import unicodedata


def search_text(value: str) -> str:
    """Lower case, accents removed, runs of whitespace as one space, trimmed."""
    decomposed = unicodedata.normalize("NFKD", str(value or ""))
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", without_accents.casefold()).strip()
