"""The filter sets the lists share (``practice.api.filters.FilterSet``): one form class per
filter set class, and each request's filters still validated on their own."""

import django_filters
import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from practice.api.filters import FilterSet
from practice.filters import ClientFilter
from practice.models import Client
from practice.tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def _request(user, query: str = "") -> Request:
    request = Request(APIRequestFactory().get(f"/api/clients?{query}"))
    request.user = user
    return request


def test_each_request_validates_its_own_filters_with_the_one_form_class(therapist):
    valid = ClientFilter({"status": "active"}, queryset=Client.objects.all(), request=_request(therapist))
    invalid = ClientFilter({"status": "asleep"}, queryset=Client.objects.all(), request=_request(therapist))
    assert valid.is_valid() and valid.form.cleaned_data["status"] == "active"
    assert not invalid.is_valid() and list(invalid.errors) == ["status"]
    assert type(valid.form) is type(invalid.form)
    # Validating the second did not touch the first's form or fields.
    assert valid.form.cleaned_data["status"] == "active" and valid.form.fields is not invalid.form.fields


class PracticeClientFilter(FilterSet):
    """Choices that depend on who asks: the clients of the caller's practice."""

    client = django_filters.ModelChoiceFilter(
        field_name="pk", queryset=lambda request: Client.objects.filter(practice_id=request.user.practice_id)
    )

    class Meta:
        model = Client
        fields: list[str] = []


def test_choices_that_depend_on_the_request_are_read_for_each_request(therapist, other_practice_therapist):
    elsewhere = ClientFactory(practice=other_practice_therapist.practice)
    theirs = PracticeClientFilter(
        {"client": str(elsewhere.pk)}, queryset=Client.objects.all(), request=_request(other_practice_therapist)
    )
    assert theirs.is_valid()
    mine = PracticeClientFilter(
        {"client": str(elsewhere.pk)}, queryset=Client.objects.all(), request=_request(therapist)
    )
    assert not mine.is_valid() and list(mine.errors) == ["client"]


def _views(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            yield getattr(pattern.callback, "cls", None)


def test_every_filtered_api_list_uses_the_shared_filter_set():
    filter_sets = {getattr(view, "filterset_class", None) for view in _views(get_resolver().url_patterns)}
    filter_sets.discard(None)
    assert filter_sets, "no view declares a filter set"
    assert [f.__name__ for f in filter_sets if not issubclass(f, FilterSet)] == []
