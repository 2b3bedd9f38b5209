"""Dates, numbers and money follow the active language (cstraject.formats): Belgian Dutch
27-11-2026 and 1.234,56; English in a European style, 27/11/2026 and 1,234.56; 24-hour times."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from cstraject.core.money import format_euro
from cstraject.core.numbers import format_date, format_number

MOMENT = datetime.datetime(2026, 11, 27, 11, 44, tzinfo=datetime.UTC)  # 12:44 in Brussels


@pytest.mark.parametrize(
    ("language", "date", "moment", "number", "amount", "negative"),
    [
        ("nl", "07-11-2026", "27-11-2026 12:44", "1.234,56", "€ 1.234.567,50", "-€ 1.234,57"),
        ("en", "07/11/2026", "27/11/2026 12:44", "1,234.56", "€ 1,234,567.50", "-€ 1,234.57"),
    ],
)
def test_python_side_formatting_follows_the_active_language(language, date, moment, number, amount, negative):
    with translation.override(language):
        assert format_date(datetime.date(2026, 11, 7)) == date
        assert format_date(MOMENT, with_time=True) == moment
        assert format_number(Decimal("1234.56"), places=2) == number
        assert format_euro(Decimal("1234567.5")) == amount
        assert format_euro(Decimal("-1234.565")) == negative  # half-up, away from zero


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "07-11-2026|27-11-2026 12:44|€ 1.234,56|1.234|12,50"),
        ("en", "07/11/2026|27/11/2026 12:44|€ 1,234.56|1,234|12.50"),
    ],
)
def test_templates_format_dates_numbers_and_money_by_language(language, expected, settings):
    template = Template(
        "{% load web_tags %}{{ day }}|{{ moment }}|{{ amount|euro }}|{{ count|number }}|{{ score|number:2 }}"
    )
    context = Context(
        {"day": datetime.date(2026, 11, 7), "moment": MOMENT, "amount": "1234.56", "count": 1234, "score": 12.5}
    )
    with translation.override(language):
        assert template.render(context) == expected


def test_a_year_in_a_template_is_not_grouped():
    with translation.override("nl"):
        assert Template("{{ year }}").render(Context({"year": 2026})) == "2026"


def test_the_language_list_names_each_language_in_its_own_words(client):
    for language in ("nl", "en"):
        with translation.override(language):
            page = client.get("/aanmelden/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert ">English</option>" in page and ">Nederlands</option>" in page
        assert ">Engels<" not in page
