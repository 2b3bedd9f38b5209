"""Derive the synthetic reference dataset for answer 526 (cybersecurity verbetertrajecten).

What it does
------------
Builds 72 synthetic dossiers of the call CS-2021 (60 grants decided in 2021, 10 decided
in 2022, 2 applications refused in 2021 because the company was no SME) such that every
table published in the answer to written question 526 (Flemish Parliament, 1 April 2022)
comes out exactly when the grants are aggregated by year of the approval decision:

* province x year: count and amount to the cent;
* size class x year: count exact, amount rounding (half up) to the published euro figure,
  per-class amounts summing exactly to the exact year total;
* NACE activity x year: count and amount to the cent (the two "Overige adviesbureaus ..."
  rows of 2021, which differ only by a space, are one code 70.220);
* package x year counts.

Integer programs (PuLP + its bundled CBC solver) assign to every grant a province, a size
class, a package and an amount in cents, in three steps that are each solved in seconds:
(1) packages and provinces with continuous amounts, (2) size classes with continuous
amounts, (3) integer amounts in cents with everything else fixed.  Amounts are free only
inside NACE groups holding several grants (single-grant NACE rows keep their published
amount); within such a group all but the last grant get a "round" quote (a multiple of
EUR 20 excl. VAT, i.e. a subsidy that is a multiple of EUR 10.89), the last takes the rest.
The size table leaves little room: in 2021 the three class amounts must lie in
[x - 0.50, x + 0.49] around 400,314 / 344,229 / 191,216 and sum to 935,757.61, whose lower
bounds already add up to 935,757.50, so only 11 cents of slack exist in total.
Everything else (companies, accounts, providers, dates, performance statements, payments)
is generated with a fixed random seed, so running the script twice gives identical files.

Writes (and only these):
  src/cstraject/reference/data/antwoord526.json
  src/cstraject/reference/data/nace_bel_2008.csv

Afterwards it re-reads the JSON and verifies every published table with pure Python
(Decimal), prints a per-table check and exits non-zero on any mismatch.

The published figures come from one data file, ``data/published_526.json``
(``cstraject.reference.published``), which the tests read too.

Modules: ``inputs`` (constants, money rule, the published tables in the shapes used
here, the inputs that are no published figure), ``assignment`` (the integer programs),
``synthetic`` (names, accounts, dates, quote lines), ``build`` (the dataset and the
files), ``verify`` (the checks), ``__main__`` (the command).

Requires the ``derive`` extra: ``pip install -e '.[derive]'`` (PuLP; CBC ships inside
the wheel). Run: ``python -m cstraject.reference.derivation`` (or the old path,
``python scripts/derive_reference.py``). Nothing else imports this package.
"""
