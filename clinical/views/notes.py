"""Session notes over the API (`/api/therapist/session-notes`).

Therapists only (staff: 403, like every ``/api/therapist/`` route). A note is readable by
its author and the client's assigned therapists; for other therapists and other practices
it does not exist (404). Only the author edits or
deletes (403 for the client's other therapists). Every read and write is audited; a
deleted note is kept but answers 404."""

from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.response import Response

from clinical.filters import SessionNoteFilter
from clinical.models import SessionNote
from clinical.selectors.notes import session_note_get, session_note_list, session_note_list_rows
from clinical.serializers.notes import SessionNoteInputSerializer, SessionNoteSerializer, session_note_list_item
from clinical.services.notes import (
    session_note_create,
    session_note_delete,
    session_note_record_views,
    session_note_update,
)
from practice.api.pagination import PagePagination
from practice.api.permissions import IsTherapist
from practice.api.request import client_ip
from practice.api.serializers import ErrorEnvelopeSerializer, MessageSerializer

CONFLICT = OpenApiResponse(ErrorEnvelopeSerializer, description="The note is locked (`session_note_locked`).")
ACCESS = (
    "Only the author and the client's assigned therapists read a note; for anyone else it is a 404. "
    "Recorded in the audit trail."
)


class SessionNotePagination(PagePagination):
    """The usual page envelope, with the notes page's payload: ``data: {"notes": [...]}``."""

    def get_envelope(self, data):
        return super().get_envelope({"notes": data})

    def get_paginated_response_schema(self, schema):
        envelope = super().get_paginated_response_schema(schema)
        envelope["properties"]["data"] = {"type": "object", "required": ["notes"], "properties": {"notes": schema}}
        return envelope


@extend_schema_view(
    list=extend_schema(
        operation_id="therapist_session_notes_list",
        description=f"Session notes you may read, newest session first, as `data.notes`. {ACCESS}",
    ),
    retrieve=extend_schema(operation_id="therapist_session_notes_retrieve", description=f"One note. {ACCESS}"),
    create=extend_schema(
        operation_id="therapist_session_notes_create",
        request=SessionNoteInputSerializer,
        responses={201: SessionNoteSerializer},
        description=(
            "Write a note about one of your assigned clients, optionally tied to one of your sessions or "
            'appointments with them (`appointmentId: ""` means none). Recorded in the audit trail.'
        ),
    ),
    update=extend_schema(
        operation_id="therapist_session_notes_update",
        request=SessionNoteInputSerializer,
        responses={200: SessionNoteSerializer, 409: CONFLICT},
        description=(
            "Edit your note: only the fields sent change (the client cannot). The previous content is kept "
            "as a numbered version; `version` counts the edits. The client's other therapists get a 403, "
            "a locked note a 409. Recorded in the audit trail."
        ),
    ),
    destroy=extend_schema(
        operation_id="therapist_session_notes_delete",
        responses={200: MessageSerializer, 409: CONFLICT},
        description=(
            "Delete your note: it disappears from lists and reads, but the treatment record keeps it and "
            "its versions (it is never erased). The client's other therapists get a 403."
        ),
    ),
)
@extend_schema(tags=["session notes"])
class SessionNoteViewSet(viewsets.GenericViewSet):
    queryset = SessionNote.objects.none()  # the real one comes from the selector, per caller
    serializer_class = SessionNoteSerializer
    filterset_class = SessionNoteFilter
    pagination_class = SessionNotePagination
    lookup_value_converter = "uuid"
    permission_classes = [IsTherapist]
    throttle_scope = "clinical"
    http_method_names = ["get", "post", "put", "delete"]

    def get_queryset(self):
        return session_note_list(actor=self.request.user)

    def list(self, request):
        notes = self.filter_queryset(self.get_queryset())
        # The page is read as rows with the clients' names; the total is counted on the notes alone.
        page = self.paginator.paginate_queryset(session_note_list_rows(notes), request, view=self, count=notes)
        session_note_record_views(
            actor=request.user, shown=[(row["id"], row["client_id"]) for row in page], ip_address=client_ip(request)
        )
        return self.get_paginated_response([session_note_list_item(row, viewer_id=request.user.pk) for row in page])

    def retrieve(self, request, pk=None):
        note = session_note_get(actor=request.user, note_id=pk)
        session_note_record_views(actor=request.user, shown=[(note.pk, note.client_id)], ip_address=client_ip(request))
        return Response(self.get_serializer(note).data)

    def create(self, request):
        serializer = SessionNoteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        note = session_note_create(
            actor=request.user,
            client_id=data.pop("client_id"),
            session_date=data["session_date"],
            session_id=data.pop("session_id", None),
            appointment_id=data.pop("appointment_id", None),
            data=data,
            ip_address=client_ip(request),
        )
        return Response(self.get_serializer(note).data, status=status.HTTP_201_CREATED)

    def update(self, request, pk=None):
        serializer = SessionNoteInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        note = session_note_update(
            actor=request.user, note_id=pk, changes=dict(serializer.validated_data), ip_address=client_ip(request)
        )
        return Response(self.get_serializer(note).data)

    def destroy(self, request, pk=None):
        session_note_delete(actor=request.user, note_id=pk, ip_address=client_ip(request))
        return Response({"detail": gettext("Session note deleted.")})
