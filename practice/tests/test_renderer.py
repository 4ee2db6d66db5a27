import datetime
import uuid
from decimal import Decimal

import pytest
from django.utils.functional import lazy
from djangorestframework_camel_case.util import camelize as reference_camelize
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.serializer_helpers import ReturnDict

from practice.api.case import camelize
from practice.api.envelope import Envelope
from practice.api.renderers import EnvelopeJSONRenderer

lazy_text = lazy(lambda: "lazy value", str)


class ReferenceRenderer(JSONRenderer):
    """DRF's own encoder, wrapping payloads in the envelope: the envelope renderer must produce
    the same bytes, keys untouched."""

    compact = True
    ensure_ascii = False

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if not isinstance(data, Envelope):
            data = Envelope(success=True, data=data)
        return super().render(data, accepted_media_type, renderer_context)


SAMPLE = {
    "client_id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "starts_at": datetime.datetime(2026, 3, 29, 7, 0, 0, 123456, tzinfo=datetime.UTC),
    "date_of_birth": datetime.date(1990, 1, 2),
    "fee_amount": Decimal("12.50"),
    "session_goals": ["work stress", "sleep_hygiene"],
    "focus_areas": ({"area_name": "grief", "level_2": 3},),
    "message": lazy_text(),
    "tags": {"one"},
    "note": "line\u2028separator",
    "nested": [{"emergency_contact": {"alternate_phone": "", "is_primary": True, "x": None}}],
    7: "int key",
    "_private": 1,
    "already_camelCase_key": 2.5,
}


@pytest.mark.parametrize("payload", [SAMPLE, [SAMPLE, SAMPLE], "text", 3, None, []])
def test_renders_the_same_bytes_as_the_library_and_drf(payload):
    assert EnvelopeJSONRenderer().render(payload) == ReferenceRenderer().render(payload)


def test_envelopes_and_serializer_dicts_render_the_same():
    body = Envelope(success=True, data=[ReturnDict({"last_session_date": None}, serializer=None)], pagination={})
    body["pagination"] = {"total_pages": 3, "has_next": True}
    assert EnvelopeJSONRenderer().render(body) == ReferenceRenderer().render(body)


def test_keys_are_written_as_given():
    body = EnvelopeJSONRenderer().render({"starts_at": 1, "totalSessions": 2})
    assert body == b'{"success":true,"data":{"starts_at":1,"totalSessions":2}}'


def test_camelize_matches_the_library():
    sample = {**SAMPLE, lazy_text(): 1}
    assert camelize(sample) == reference_camelize(sample)


def test_integers_beyond_64_bits_fall_back_to_the_standard_encoder():
    assert EnvelopeJSONRenderer().render({"big_number": 2**70}) == ReferenceRenderer().render({"big_number": 2**70})


def test_indented_responses_are_still_indented():
    body = EnvelopeJSONRenderer().render({"a_b": 1}, "application/json; indent=2", {})
    assert body.startswith(b"{\n")
