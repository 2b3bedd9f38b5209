import pytest


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """PBKDF2's million rounds cost a second per user on this machine; tests
    create and log in hundreds of users. Hashing strength is Django's concern,
    not what these tests check."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A test that activates English (translation.activate) must not leave it to the next ones: labels in
    the statistics follow the active language, and the reference tests, which run last, expect Dutch."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _documents_in_a_temporary_folder(settings, tmp_path_factory):
    """Uploaded documents go to a fresh folder per test, never into the working tree."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("documents")


def pytest_collection_modifyitems(config, items):
    """Tests that read the reference dataset run last, so that they share one load of it (see reference_db).

    The sort is stable: every other test keeps its place and order.
    """
    items.sort(key=lambda item: "reference_db" in getattr(item, "fixturenames", ()))


@pytest.fixture(scope="session")
def _reference_dataset(django_db_setup, django_db_blocker):
    """The reference dataset loaded once per session, inside a transaction that is rolled back at the end.

    Each test that uses it runs in a savepoint within that transaction (pytest-django's `db`), so what a
    test changes is undone after it and the next one sees the dataset as loaded. The tests that use it run
    after all the others (pytest_collection_modifyitems), so no other test sees these rows.
    """
    from django.db import transaction

    from cstraject.reference.loader import load_reference

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            load_reference()
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def reference_db(_reference_dataset, db):
    """The reference dataset of answer 526 (loaded through the services once per session)."""


@pytest.fixture
def is_postgres():
    from django.db import connection

    return connection.vendor == "postgresql"
