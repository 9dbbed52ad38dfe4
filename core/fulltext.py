"""Model fields and indexes for full-text search on SQLite and PostgreSQL (README, "Search").

A model keeps both databases' forms of its search terms in its own columns, so
one model state serves both: the term strings that SQLite's FTS5 triggers copy,
and the weighted ``tsvector`` that PostgreSQL's GIN index reads. Each column is
written only on its database (blank or NULL on the other), so neither pays for
the other's storage.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.backends.ddl_references import Statement, Table


class SQLiteTermsField(models.TextField):
    """Search terms stored on SQLite (read by its FTS5 triggers), blank elsewhere."""

    def get_db_prep_value(self, value, connection, prepared=False):
        value = super().get_db_prep_value(value, connection, prepared)
        return value if connection.vendor == "sqlite" else ""


class TermsVectorField(SearchVectorField):
    """A tsvector built in Python (core.analysis.weighted_vector), stored on
    PostgreSQL only (NULL elsewhere)."""

    def get_db_prep_value(self, value, connection, prepared=False):
        if connection.vendor != "postgresql" or not isinstance(value, str):
            return None
        return value

    def get_placeholder_sql(self, value, compiler, connection):
        if hasattr(value, "as_sql"):  # bulk_update's CASE
            sql, params = compiler.compile(value)
        else:
            sql, params = "%s", [value]
        return (f"({sql})::tsvector" if connection.vendor == "postgresql" else sql), params


class PostgresOnlyGinIndex(GinIndex):
    """A GIN index on PostgreSQL. Elsewhere an empty partial index of the same
    name stands in (``WHERE 0`` holds no row and costs no write), so the index
    lives in the model's Meta and migrations run on every database."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        quote = schema_editor.quote_name
        # A Statement with a Table, not a string: SQLite's table rebuild (an
        # AlterField, say) renames the table references of the indexes it re-creates.
        return Statement(
            "CREATE INDEX %(name)s ON %(table)s (%(column)s) WHERE 0",
            name=quote(self.name),
            table=Table(model._meta.db_table, quote),
            column=quote(model._meta.pk.column),
        )

    def check_supported(self, schema_editor):
        pass
