"""``field__any=values``: ``field__in=values`` sent to PostgreSQL as one array parameter.

Django writes ``IN (%s, %s, ...)``, a placeholder per value. For a list of a therapist's
hundred clients that costs on every statement: psycopg parses and caches a statement's
placeholders only up to 50 parameters (``MAX_CACHED_STATEMENT_PARAMS``), so it parses the
whole statement again each time, sends a hundred parameters, and PostgreSQL builds the
array from them for every row it filters. ``= ANY(%s)`` sends the list as one array and
reads the same rows by the same plan. On other databases, and with a subquery, it is
``__in``."""

from django.core.exceptions import EmptyResultSet
from django.db.models import lookups


class AnyOf(lookups.In):
    lookup_name = "any"

    def as_postgresql(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return super().as_sql(compiler, connection)
        values = [value for value in self.rhs if value is not None]  # NULL is never equal to anything
        if not values:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        array = [field.get_db_prep_value(value, connection, prepared=True) for value in values]
        return f"{lhs} = ANY(%s)", (*lhs_params, array)
