"""Every NACE-BEL code: valid when its NACE class exists and it has the NACE-BEL form; labels never typed by hand."""

import csv
from importlib import resources

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from cstraject.companies.models import Company, NaceCode
from cstraject.companies.nace import nace_class_exists, nace_label
from cstraject.companies.services import company_upsert, nace_code_lookup


def _classes(version: str) -> list[str]:
    return [f"{n:04d}" for n in range(100, 10000) if nace_class_exists(version, f"{n:04d}0")]


CLASSES_2008 = _classes("2008")
CLASSES_2025 = _classes("2025")


def test_the_registries_hold_every_nace_class():
    # NACE Rev. 2 has 615 classes, Rev. 2.1 has 651.
    assert (len(CLASSES_2008), len(CLASSES_2025)) == (615, 651)


@pytest.mark.django_db
def test_a_bakery_can_be_registered_with_its_nace_bel_code():
    company = company_upsert(
        enterprise_number="0403.170.701",
        name="Bakkerij Peeters",
        legal_form="bv",
        nace_code="10.711",
        postal_code="2000",
        municipality="Antwerpen",
    )
    nace = Company.objects.get(pk=company.pk).nace_code
    assert (nace.version, nace.code, nace.level, nace.label_nl) == ("2008", "10711", "subclass", "")
    assert nace.label == "Manufacture of bread; manufacture of fresh pastry goods and cakes"
    assert str(nace) == "10.711 Manufacture of bread; manufacture of fresh pastry goods and cakes"


class EveryRealCode(TestCase):
    @settings(max_examples=60, deadline=None)
    @given(nace_class=st.sampled_from(CLASSES_2008), national=st.integers(0, 9), dotted=st.booleans())
    def test_every_nace_bel_2008_subclass_form_of_an_existing_class_is_accepted(self, nace_class, national, dotted):
        digits = f"{nace_class}{national}"
        code = f"{digits[:2]}.{digits[2:]}" if dotted else digits
        nace = nace_code_lookup(code=code, version="2008")
        assert (nace.code, nace.version) == (digits, "2008")
        assert nace.label == nace_label("2008", nace_class) != ""

    @settings(max_examples=30, deadline=None)
    @given(nace_class=st.sampled_from(CLASSES_2025), national=st.integers(0, 9))
    def test_every_nace_bel_2025_code_is_checked_against_nace_rev_2_1(self, nace_class, national):
        nace = nace_code_lookup(code=f"{nace_class[:2]}.{nace_class[2:]}{national}", version="2025")
        assert nace.version == "2025"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "version"),
    [
        ("99.999", "2008"),  # no class 9999
        ("10.71", "2008"),  # a class, not a NACE-BEL subclass
        ("10", "2008"),  # a division
        ("10.7111", "2008"),
        ("1O.711", "2008"),
        ("١٠٧١١", "2008"),  # non-ASCII digits
        ("62.100", "2008"),  # class 62.10 exists only in NACE Rev. 2.1
        ("62.010", "2025"),  # class 62.01 does not exist in NACE Rev. 2.1
        ("01.110", "2003"),  # NACE-BEL 2003 is not accepted for new data
        ("", "2008"),
    ],
)
def test_codes_without_an_existing_class_or_the_nace_bel_form_are_refused(code, version):
    with pytest.raises(ValidationError) as error:
        nace_code_lookup(code=code, version=version)
    assert "nace_code" in error.value.message_dict
    assert not NaceCode.objects.exists()


@pytest.mark.django_db
def test_the_imported_official_label_comes_before_the_nace_class_label():
    NaceCode.objects.create(
        version="2008", code="10711", level="subclass", label_nl="Ambachtelijke vervaardiging van brood"
    )
    nace = nace_code_lookup(code="10.711", version="2008")
    assert nace.label == "Ambachtelijke vervaardiging van brood"
    assert NaceCode.objects.count() == 1


def test_the_reference_codes_carry_no_hand_typed_labels():
    path = resources.files("cstraject.reference") / "data" / "nace_bel_2008.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert set(rows[0]) == {"code", "version", "level"}
    assert all(nace_class_exists(row["version"], row["code"]) for row in rows)
