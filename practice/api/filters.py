"""Filters every app's lists share."""

from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from rest_framework.exceptions import ValidationError

# Far enough for any real calendar, near enough that converting to UTC never overflows.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2999, 12, 31)


def local_midnight(day: date, tzinfo) -> datetime:
    """The first instant of ``day`` in the given time zone."""
    return datetime.combine(day, time.min, tzinfo=tzinfo)


class LocalDateRangeFilterSet(django_filters.FilterSet):
    """``startDate`` / ``endDate``: inclusive local dates in the practice's time zone,
    applied to ``date_field`` (a datetime). ``startDate`` after ``endDate`` is a 400."""

    #: The datetime field the dates apply to; every subclass names its own.
    date_field: str

    startDate = django_filters.DateFilter(
        method="filter_start_date", label="From this local date (YYYY-MM-DD, practice time zone), inclusive."
    )
    endDate = django_filters.DateFilter(
        method="filter_end_date", label="Up to this local date (YYYY-MM-DD, practice time zone), inclusive."
    )

    def _tzinfo(self):
        return self.request.user.practice.tzinfo

    def filter_queryset(self, queryset):
        start = self.form.cleaned_data.get("startDate")
        end = self.form.cleaned_data.get("endDate")
        for name, value in (("startDate", start), ("endDate", end)):
            if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
                raise ValidationError({name: [f"Must be between {EARLIEST_DATE} and {LATEST_DATE}."]})
        if start and end and start > end:
            raise ValidationError({"endDate": ["endDate must not be before startDate."]})
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
