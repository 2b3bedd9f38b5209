import pytest


@pytest.fixture
def reference_db(db):
    """The reference dataset of answer 526, loaded through the services."""
    from cstraject.reference.loader import load_reference

    load_reference()


@pytest.fixture
def is_postgres():
    from django.db import connection

    return connection.vendor == "postgresql"
