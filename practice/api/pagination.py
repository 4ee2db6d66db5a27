import math
import re
from collections.abc import Callable

from django.db.models import QuerySet
from django.utils.translation import gettext
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination

from practice.db.plans import planned_once

from .envelope import Envelope

_INTEGER = re.compile(r"^-?[0-9]+$")


def _positive_int(raw: str | None, name: str, default: int, maximum: int | None = None) -> int:
    if raw is None or raw == "":
        return default
    # ASCII digits only: int() would also take " 7", "+7", "7_0" and digits of any script.
    if not _INTEGER.match(raw):
        raise ValidationError(
            {name: [gettext("A positive whole number is required, not %(value)s.") % {"value": repr(raw[:20])}]}
        )
    # More digits than any page or limit (and than int() converts, 4300): above the maximum.
    value = int(raw) if len(raw) <= 20 else (-1 if raw.startswith("-") else 10**20)
    if value < 1:
        raise ValidationError({name: [gettext("Must be 1 or more.")]})
    if maximum is not None and value > maximum:
        raise ValidationError({name: [gettext("Must be %(maximum)s or less.") % {"maximum": maximum}]})
    return value


class PagePagination(BasePagination):
    """``?page=1&limit=20``: limit defaults to 20 and is capped at 100; a page past the
    end is an empty page (with the real total). A page number above ``max_page`` is a 400
    rather than an offset no database should be asked for.

    The page is read first: a page with fewer rows than the limit is the last one, and
    the total follows from it. Only a full page, or one past the end, costs a COUNT.

    The page's statement is planned once per connection (``planned_once``): a page is
    read in the order of an index and cut by its limit, so its plan does not depend on the
    values filtered on, and planning it anew for each request cost more than reading it.
    The COUNT is planned for its values: how many rows a filter leaves decides its plan.

    ``count``: the same rows as ``queryset`` without what only fills the items, counted
    for the total instead of ``queryset``: Django keeps the joins of a ``values()`` with
    related fields in its COUNT, and PostgreSQL cannot drop an inner join. Or a function
    that returns the total, where something other than the rows tells it (a tally)."""

    default_limit = 20
    max_limit = 100
    max_page = 10_000_000

    def paginate_queryset(self, queryset, request, view=None, *, count: QuerySet | Callable[[], int] | None = None):
        self.limit = min(_positive_int(request.query_params.get("limit"), "limit", self.default_limit), self.max_limit)
        self.page = _positive_int(request.query_params.get("page"), "page", 1, maximum=self.max_page)
        offset = (self.page - 1) * self.limit
        if isinstance(queryset, list):
            self.total = len(queryset)
            return queryset[offset : offset + self.limit]
        with planned_once(queryset.db):
            rows = list(queryset[offset : offset + self.limit])
        if len(rows) < self.limit and (rows or offset == 0):
            # The last page: its rows tell the total, so no COUNT is sent.
            self.total = offset + len(rows)
        elif callable(count):
            self.total = count()
        else:
            self.total = (queryset if count is None else count).count()
        return rows

    def get_paginated_response(self, data):
        from rest_framework.response import Response

        return Response(self.get_envelope(data))

    def get_envelope(self, data) -> Envelope:
        total_pages = math.ceil(self.total / self.limit) if self.total else 0
        return Envelope(
            success=True,
            data=data,
            pagination={
                "page": self.page,
                "limit": self.limit,
                "total": self.total,
                "totalPages": total_pages,
                "hasNext": self.page < total_pages,
                "hasPrev": self.page > 1,
            },
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["success", "data", "pagination"],
            "properties": {
                "success": {"type": "boolean", "enum": [True]},
                "data": schema,
                "pagination": {
                    "type": "object",
                    "required": ["page", "limit", "total", "totalPages", "hasNext", "hasPrev"],
                    "properties": {
                        "page": {"type": "integer", "minimum": 1},
                        "limit": {"type": "integer", "minimum": 1, "maximum": self.max_limit},
                        "total": {"type": "integer", "minimum": 0},
                        "totalPages": {"type": "integer", "minimum": 0},
                        "hasNext": {"type": "boolean"},
                        "hasPrev": {"type": "boolean"},
                    },
                },
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "page",
                "required": False,
                "in": "query",
                "description": "Page number, from 1.",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page},
            },
            {
                "name": "limit",
                "required": False,
                "in": "query",
                "description": (
                    f"Items per page (default {self.default_limit}, at most {self.max_limit}; "
                    "larger values are capped)."
                ),
                "schema": {"type": "integer", "minimum": 1},
            },
        ]


class KeyedPagePagination(PagePagination):
    """The page envelope with the items under one key of ``data``, as the frontend's list
    pages read them (``data: {"challenges": [...]}``), optionally next to a few more values
    (``data.unreadCount``) the view passes to ``get_paginated_response``."""

    data_key = "items"
    #: Schemas of the values beside the list, by name; all are required.
    extra_schema: dict[str, dict] = {}

    def get_envelope(self, data, **extra) -> Envelope:
        return super().get_envelope({self.data_key: data, **extra})

    def get_paginated_response(self, data, **extra):
        from rest_framework.response import Response

        return Response(self.get_envelope(data, **extra))

    def get_paginated_response_schema(self, schema):
        envelope = super().get_paginated_response_schema(schema)
        envelope["properties"]["data"] = {
            "type": "object",
            "required": [self.data_key, *self.extra_schema],
            "properties": {self.data_key: schema, **self.extra_schema},
        }
        return envelope


def keyed_pagination(key: str, **extra_schema: dict) -> type[KeyedPagePagination]:
    """A ``KeyedPagePagination`` putting the page's items under ``data.<key>``."""
    return type(
        f"{key.title().replace('_', '')}Pagination",
        (KeyedPagePagination,),
        {"data_key": key, "extra_schema": extra_schema},
    )
