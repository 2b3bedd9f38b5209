import json

import pytest

pytestmark = pytest.mark.django_db


def test_health_answers_200_with_every_check_without_login(client, settings):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "storage": "ok"},
    }
    assert not list(settings.MEDIA_ROOT.iterdir()), "the storage probe is removed"


def test_health_answers_503_when_storage_is_not_writable(client, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the document folder should be")
    settings.MEDIA_ROOT = blocker / "documents"

    response = client.get("/health/")

    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "fail",
        "checks": {"database": "ok", "migrations": "ok", "storage": "fail"},
    }


def test_health_answers_503_when_a_migration_is_not_applied(client, monkeypatch):
    """A migration in the code that the database does not have: the check says so."""
    from django.db.migrations.loader import MigrationLoader

    original = MigrationLoader.build_graph

    def build_graph_with_one_more(self):
        original(self)
        from django.db.migrations import Migration

        leaf = self.graph.leaf_nodes("audit")[0]
        extra = type("Migration", (Migration,), {"dependencies": [leaf], "operations": []})("9999_pending", "audit")
        self.graph.add_node(("audit", "9999_pending"), extra)
        self.graph.add_dependency(extra, ("audit", "9999_pending"), leaf)

    monkeypatch.setattr(MigrationLoader, "build_graph", build_graph_with_one_more)

    response = client.get("/health/")

    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["migrations"] == "fail"


def test_health_refuses_post(client):
    assert client.post("/health/").status_code == 405
