"""`serve` sizes itself from the cores; the `label` filter says what get_FOO_display() says, cheaper."""

import pytest
from django.utils import translation

from cstraject.dossiers.models import DossierStatus
from cstraject.web.management.commands import serve
from cstraject.web.templatetags.web_tags import label
from tests.factories import DossierFactory


def test_serve_runs_a_worker_per_core_and_at_least_two(monkeypatch):
    monkeypatch.setattr(serve, "available_cores", lambda: 1)
    assert serve.default_workers() == 2
    monkeypatch.setattr(serve, "available_cores", lambda: 6)
    assert serve.default_workers() == 6


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("status", DossierStatus.values)
def test_label_equals_get_display_in_every_language(db, language, status):
    dossier = DossierFactory(status=status, size_class="")
    with translation.override(language):
        assert label(dossier, "status") == dossier.get_status_display()
        assert label(dossier, "province") == dossier.get_province_display()
        assert label(dossier, "size_class") == dossier.get_size_class_display() == ""
