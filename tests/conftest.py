import pytest


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """PBKDF2's million rounds cost a second per user on this machine; tests
    create and log in hundreds of users. Hashing strength is Django's concern,
    not what these tests check."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _documents_in_a_temporary_folder(settings, tmp_path_factory):
    """Uploaded documents go to a fresh folder per test, never into the working tree."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("documents")


@pytest.fixture
def reference_db(db):
    """The reference dataset of answer 526, loaded through the services."""
    from cstraject.reference.loader import load_reference

    load_reference()


@pytest.fixture
def is_postgres():
    from django.db import connection

    return connection.vendor == "postgresql"
