"""Filters every app's lists share."""

from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django_filters.constants import EMPTY_VALUES
from django_filters.filters import QuerySetRequestMixin
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from .fields import DATE_PATTERN, StrictDateFormField


def local_midnight(day: date, tzinfo) -> datetime:
    """The first instant of ``day`` in the given time zone."""
    return datetime.combine(day, time.min, tzinfo=tzinfo)


def _valid_filterset(view, queryset: QuerySet) -> django_filters.FilterSet:
    filterset = DjangoFilterBackend().get_filterset(view.request, queryset, view)
    if not filterset.is_valid():
        raise translate_validation(filterset.errors)
    return filterset


def filter_each(view, *querysets: QuerySet) -> list[QuerySet]:
    """Each queryset filtered by the view's filter set, as ``view.filter_queryset`` would
    filter it, with the request's filters read and validated once: a list page whose
    rows and total come from two querysets (``PagePagination``'s ``count``) builds one
    filter set and its form, not two. Invalid filters are the same 400."""
    filterset = _valid_filterset(view, querysets[0])
    return [filterset.qs, *(filterset.filter_queryset(queryset) for queryset in querysets[1:])]


def filter_given(view, queryset: QuerySet) -> tuple[QuerySet, dict[str, object]]:
    """``queryset`` filtered as ``view.filter_queryset`` would filter it, and the filters
    the request gave, by name, with their values (a filter left empty filters nothing and
    is not among them): for a list whose total can be read another way when none, or only
    some, of its filters apply. Invalid filters are the same 400."""
    filterset = _valid_filterset(view, queryset)
    given = {name: value for name, value in filterset.form.cleaned_data.items() if value not in EMPTY_VALUES}
    return filterset.qs, given


class FilterSet(django_filters.FilterSet):
    """django-filter's ``FilterSet`` with its form class built once per filter set class.
    django-filter builds a new form class, and a form field for each filter, for every
    request: about 0.23 ms of each filtered list request, for fields that depend only on
    the class's filters. Each request still gets its own form instance (and copies of the
    fields). A filter whose choices depend on the request (``QuerySetRequestMixin``, as
    ``ModelChoiceFilter``) keeps django-filter's form per request."""

    def get_form_class(self):
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            if not any(isinstance(f, QuerySetRequestMixin) for f in self.filters.values()):
                cls._form_class = form_class
        return form_class


@extend_schema_field({"type": "string", "format": "date", "pattern": DATE_PATTERN})
class StrictDateFilter(django_filters.DateFilter):
    """A date query parameter: ``YYYY-MM-DD`` only, between 1900 and 2999."""

    field_class = StrictDateFormField


class LocalDateRangeFilterSet(FilterSet):
    """``startDate`` / ``endDate``: inclusive local dates in the practice's time zone,
    applied to ``date_field`` (a datetime). ``startDate`` after ``endDate`` is a 400."""

    #: The datetime field the dates apply to; every subclass names its own.
    date_field: str

    startDate = StrictDateFilter(
        method="filter_start_date", label="From this local date (YYYY-MM-DD, practice time zone), inclusive."
    )
    endDate = StrictDateFilter(
        method="filter_end_date", label="Up to this local date (YYYY-MM-DD, practice time zone), inclusive."
    )

    def _tzinfo(self):
        return self.request.user.practice.tzinfo

    def filter_queryset(self, queryset):
        start = self.form.cleaned_data.get("startDate")
        end = self.form.cleaned_data.get("endDate")
        if start and end and start > end:
            raise ValidationError({"endDate": [gettext("endDate must not be before startDate.")]})
        return super().filter_queryset(queryset)

    def filter_start_date(self, queryset, name, value):
        return queryset.filter(**{f"{self.date_field}__gte": local_midnight(value, self._tzinfo())})

    def filter_end_date(self, queryset, name, value):
        next_day = local_midnight(value + timedelta(days=1), self._tzinfo())
        return queryset.filter(**{f"{self.date_field}__lt": next_day})


class TrueFalseFilter(django_filters.ChoiceFilter):
    """``true`` or ``false`` exactly, as the frontend sends booleans in a query string;
    anything else is a 400 (django-filter's BooleanFilter would ignore it)."""

    field_class = forms.TypedChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.update(choices=[("true", "true"), ("false", "false")], coerce=lambda value: value == "true")
        super().__init__(*args, empty_value=None, **kwargs)
