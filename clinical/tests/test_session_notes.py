"""Session notes through the API, the way the notes pages call it (the note form's
snake_case body, `data.notes` for the list)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clinical.models import SessionNote, SessionNoteVersion
from clinical.selectors.notes import session_note_list, session_note_list_rows
from clinical.serializers.notes import SessionNoteSerializer, session_note_list_item
from clinical.tests.factories import SessionFactory, SessionNoteFactory
from practice.models import AuditEvent
from practice.services.audit import audit_seal
from practice.tests.factories import ClientFactory, TherapistFactory
from practice.tests.queries import join_free_total
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

URL = "/api/therapist/session-notes"


def form_body(client_id, **overrides) -> dict:
    """What the note form sends on create (SessionNoteForm's submit)."""
    body = {
        "client_id": str(client_id),
        "appointment_id": "",
        "session_date": "2026-03-02",
        "session_type": "CBT Session",
        "duration": 50,
        "mood_before": 2,
        "mood_after": 4,
        "key_points": ["Sleep improved", "Worry at work"],
        "interventions": ["Thought record"],
        "homework": ["Sleep diary"],
        "progress_notes": "Engaged and open.",
        "private_notes": "Check in about the move.",
        "tags": ["sleep", "work"],
        "is_important": True,
        "progressIndicators": {
            "hulpvragen_progress": {
                "Angst en Paniek": {"discussed": True, "progress": 40, "notes": "Fewer attacks"},
                "WorkStress": {"discussed": False, "progress": 10, "notes": ""},
            }
        },
    }
    body.update(overrides)
    return body


def _audit(record_type="session_note"):
    audit_seal()  # chain order: the order of the requests
    return list(
        AuditEvent.objects.filter(record_type=record_type).order_by("sequence").values_list("action", "record_id")
    )


def test_create_from_the_form_then_read_it_back_as_the_view_reads_it(api, client_record):
    response = api.post(URL, form_body(client_record.pk), format="json")

    assert response.status_code == 201, response.json()
    note = response.json()["data"]
    assert note["client_id"] == str(client_record.pk)
    assert note["client_name"] == client_record.full_name
    assert note["appointment_id"] is None
    assert note["session_type"] == "CBT Session"
    assert note["key_points"] == ["Sleep improved", "Worry at work"]
    # The names of the requests for help are the client's own text: never renamed.
    assert note["hulpvragen_progress"] == {
        "Angst en Paniek": {"discussed": True, "progress": 40, "notes": "Fewer attacks"},
        "WorkStress": {"discussed": False, "progress": 10, "notes": ""},
    }
    assert note["version"] == 1 and note["is_locked"] is False and note["attachments"] == []

    read = api.get(f"{URL}/{note['id']}").json()["data"]
    assert read == note
    assert _audit() == [("create", note["id"]), ("view", note["id"])]


def test_the_edit_form_sends_back_what_it_read_plus_its_changes(api, client_record):
    note = api.post(URL, form_body(client_record.pk), format="json").json()["data"]
    echoed = {**note, "progress_notes": "Much calmer.", "key_points": ["Calmer"]}
    echoed["progressIndicators"] = {"hulpvragen_progress": echoed.pop("hulpvragen_progress")}

    response = api.put(f"{URL}/{note['id']}", echoed, format="json")

    assert response.status_code == 200, response.json()
    updated = response.json()["data"]
    assert updated["progress_notes"] == "Much calmer."
    assert updated["version"] == 2
    # The previous content is kept, numbered.
    version = SessionNoteVersion.objects.get(note_id=note["id"])
    assert version.version == 1
    assert version.content["progress_notes"] == "Engaged and open."
    assert version.content["key_points"] == ["Sleep improved", "Worry at work"]
    update = AuditEvent.objects.get(record_type="session_note", action="update")
    assert update.changed_fields == ["key_points", "progress_notes"]


def test_an_edit_that_changes_nothing_keeps_no_version(api, client_record):
    note = SessionNoteFactory(client=client_record)
    response = api.put(f"{URL}/{note.pk}", {"progress_notes": note.progress_notes}, format="json")
    assert response.status_code == 200
    assert response.json()["data"]["version"] == 1
    assert not SessionNoteVersion.objects.exists()


def test_a_note_ties_to_a_session_and_its_appointment(api, therapist, client_record):
    session = SessionFactory(appointment__therapist=therapist, appointment__client=client_record)
    response = api.post(URL, form_body(client_record.pk, session_id=str(session.pk)), format="json")
    assert response.status_code == 201, response.json()
    note = response.json()["data"]
    assert note["session_id"] == str(session.pk)
    assert note["appointment_id"] == str(session.appointment_id)


def test_list_reads_data_notes_newest_first_and_audits_every_note_shown(api, client_record):
    older = SessionNoteFactory(client=client_record, session_date=date(2026, 1, 5))
    newer = SessionNoteFactory(client=client_record, session_date=date(2026, 2, 5))

    body = api.get(URL).json()

    assert [n["id"] for n in body["data"]["notes"]] == [str(newer.pk), str(older.pk)]
    assert body["pagination"]["total"] == 2
    # One entry for the page, naming both notes and their client.
    page = AuditEvent.objects.get(action="view", record_type="session_note")
    assert page.record_ids == [str(newer.pk), str(older.pk)]
    assert (page.client_id, page.client_ids) == (client_record.pk, [])


def test_list_filters(api, therapist, client_record):
    other = ClientFactory(practice=client_record.practice, therapists=[therapist], first_name="Zelda")
    a = SessionNoteFactory(client=client_record, is_important=True, session_type="EMDR Session")
    b = SessionNoteFactory(client=other, progress_notes="Talked about the garden")

    def ids(params):
        return {n["id"] for n in api.get(URL, params).json()["data"]["notes"]}

    assert ids({"clientId": str(other.pk)}) == {str(b.pk)}
    assert ids({"sessionType": "EMDR Session"}) == {str(a.pk)}
    assert ids({"search": "garden"}) == {str(b.pk)}
    assert ids({"search": "zeld"}) == {str(b.pk)}
    assert ids({"search": ""}) == {str(a.pk), str(b.pk)}


def test_the_total_counts_the_notes_alone(api, therapist, client_record):
    SessionNoteFactory.create_batch(3, client=client_record)
    SessionNoteFactory(client=client_record, session_type="EMDR Session")

    # Counted on the notes alone, not through the join that fills in the clients' names.
    assert join_free_total(api, f"{URL}?limit=1") == 4
    assert join_free_total(api, f"{URL}?limit=1&sessionType=EMDR+Session") == 1


def test_the_clients_other_therapist_reads_but_does_not_edit_and_sees_no_private_notes(
    practice, therapist, other_therapist, other_therapist_api
):
    shared = ClientFactory(practice=practice, therapists=[therapist, other_therapist])
    note = SessionNoteFactory(client=shared, therapist=therapist)

    read = other_therapist_api.get(f"{URL}/{note.pk}")
    assert read.status_code == 200
    assert read.json()["data"]["private_notes"] == "" and read.json()["data"]["is_own"] is False

    assert other_therapist_api.put(f"{URL}/{note.pk}", {"tags": []}, format="json").status_code == 403
    assert other_therapist_api.delete(f"{URL}/{note.pk}").status_code == 403
    note.refresh_from_db()
    assert note.tags == ["sleep"] and note.deleted_at is None


def test_the_author_still_reads_a_note_after_the_client_moved_on(api, therapist, other_therapist, practice):
    client = ClientFactory(practice=practice, therapists=[therapist])
    note = SessionNoteFactory(client=client, therapist=therapist)
    client.therapists.set([other_therapist])
    assert api.get(f"{URL}/{note.pk}").status_code == 200


def test_the_list_merges_a_shared_clients_notes_by_others_and_drops_them_when_unassigned(
    api, therapist, other_therapist, practice
):
    mine_only = ClientFactory(practice=practice, therapists=[therapist])
    shared = ClientFactory(practice=practice, therapists=[therapist, other_therapist])
    theirs_only = ClientFactory(practice=practice, therapists=[other_therapist])
    own_old = SessionNoteFactory(therapist=therapist, client=mine_only, session_date=date(2026, 1, 5))
    by_other = SessionNoteFactory(therapist=other_therapist, client=shared, session_date=date(2026, 2, 5))
    own_new = SessionNoteFactory(therapist=therapist, client=shared, session_date=date(2026, 3, 5))
    SessionNoteFactory(therapist=other_therapist, client=theirs_only, session_date=date(2026, 4, 5))
    SessionNoteFactory(
        therapist=other_therapist,
        client=shared,
        session_date=date(2026, 4, 6),
        deleted_at=timezone.now(),
        deleted_by=other_therapist,
    )

    def listed():
        body = api.get(URL).json()
        return [n["id"] for n in body["data"]["notes"]], body["pagination"]["total"]

    assert listed() == ([str(own_new.pk), str(by_other.pk), str(own_old.pk)], 3)
    # Unassigned: what the other therapist wrote goes; what I wrote stays.
    shared.therapists.remove(therapist)
    assert listed() == ([str(own_new.pk), str(own_old.pk)], 2)


def test_staff_are_refused_the_route(staff_api, client_record):
    note = SessionNoteFactory(client=client_record)
    assert staff_api.get(URL).status_code == 403
    assert staff_api.get(f"{URL}/{note.pk}").status_code == 403
    assert staff_api.post(URL, form_body(client_record.pk), format="json").status_code == 403
    assert SessionNote.objects.count() == 1 and not AuditEvent.objects.exists()


@pytest.mark.parametrize("caller", ["other_therapist_api", "other_practice_api"])
def test_other_therapists_get_a_404_and_an_empty_list(request, caller, client_record):
    note = SessionNoteFactory(client=client_record)
    api = request.getfixturevalue(caller)
    assert api.get(f"{URL}/{note.pk}").status_code == 404
    assert api.get(URL).json()["data"]["notes"] == []
    assert api.put(f"{URL}/{note.pk}", {"tags": []}, format="json").status_code == 404
    assert api.delete(f"{URL}/{note.pk}").status_code == 404
    assert not AuditEvent.objects.exists()


def test_delete_hides_the_note_but_keeps_it_and_its_history(api, therapist, client_record):
    note = SessionNoteFactory(client=client_record)
    api.put(f"{URL}/{note.pk}", {"progress_notes": "Edited"}, format="json")

    response = api.delete(f"{URL}/{note.pk}")

    assert response.status_code == 200 and response.json()["success"] is True
    assert api.get(f"{URL}/{note.pk}").status_code == 404
    assert api.get(URL).json()["data"]["notes"] == []
    assert api.put(f"{URL}/{note.pk}", {"tags": []}, format="json").status_code == 404
    kept = SessionNote.objects.get(pk=note.pk)
    assert kept.deleted_at is not None and kept.deleted_by == therapist
    assert kept.versions.count() == 1
    assert ("delete", str(note.pk)) in _audit()


def test_a_locked_note_cannot_change(api, client_record):
    note = SessionNoteFactory(client=client_record, is_locked=True)
    assert api.put(f"{URL}/{note.pk}", {"tags": []}, format="json").json()["code"] == "session_note_locked"
    assert api.delete(f"{URL}/{note.pk}").status_code == 409
    note.refresh_from_db()
    assert note.deleted_at is None and note.tags == ["sleep"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"key_points": []}, "keyPoints"),
        ({"key_points": [""]}, "keyPoints.0"),
        ({"mood_before": 6}, "moodBefore"),
        ({"mood_after": "4"}, "moodAfter"),
        ({"session_type": "Chat"}, "sessionType"),
        ({"session_date": "2026-02-30"}, "sessionDate"),
        ({"duration": 0}, "duration"),
        ({"appointment_id": "not-a-uuid"}, "appointmentId"),
        ({"is_important": "yes"}, "isImportant"),
        ({"progressIndicators": {"hulpvragen_progress": {"Angst": {"progress": 101}}}}, None),
        ({"progressIndicators": {"hulpvragen_progress": {"   ": {}}}}, None),
    ],
)
def test_bad_input_is_a_400_and_writes_nothing(api, client_record, overrides, field):
    response = api.post(URL, form_body(client_record.pk, **overrides), format="json")
    body = response.json()
    assert response.status_code == 400, body
    assert body["success"] is False and body["code"] == "validation_error"
    if field:
        assert field in {error["field"] for error in body["errors"]}
    assert not SessionNote.objects.exists() and not AuditEvent.objects.exists()


def test_a_client_session_or_appointment_that_is_not_yours_is_a_400(api, practice, client_record):
    colleague = TherapistFactory(practice=practice)
    theirs = ClientFactory(practice=practice, therapists=[colleague])
    their_appointment = AppointmentFactory(therapist=colleague, client=theirs)
    their_session = SessionFactory(appointment__therapist=colleague, appointment__client=theirs)
    other_client_appointment = AppointmentFactory(
        therapist=client_record.therapists.first(), client=ClientFactory(practice=practice, therapists=[])
    )
    cases = [
        (form_body(theirs.pk), "clientId"),
        (form_body(client_record.pk, appointment_id=str(their_appointment.pk)), "appointmentId"),
        (form_body(client_record.pk, session_id=str(their_session.pk)), "sessionId"),
        (form_body(client_record.pk, appointment_id=str(other_client_appointment.pk)), "appointmentId"),
    ]
    for body, field in cases:
        response = api.post(URL, body, format="json")
        assert response.status_code == 400, (field, response.json())
        assert response.json()["errors"][0]["field"] == field
    assert not SessionNote.objects.exists()


def test_a_note_keeps_its_client(api, therapist, client_record, practice):
    note = SessionNoteFactory(client=client_record)
    other = ClientFactory(practice=practice, therapists=[therapist])
    response = api.put(f"{URL}/{note.pk}", {"client_id": str(other.pk)}, format="json")
    assert response.status_code == 400
    note.refresh_from_db()
    assert note.client == client_record


def _count_queries(api, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api.get(path).status_code == 200
    return len(queries)


def test_query_counts_are_constant(api, therapist, other_therapist, client_record):
    first = SessionNoteFactory(client=client_record)
    small_list, small_read = _count_queries(api, URL), _count_queries(api, f"{URL}/{first.pk}")
    for _ in range(15):
        SessionNoteFactory(client=ClientFactory(practice=client_record.practice, therapists=[therapist]))
    assert _count_queries(api, URL) == small_list
    assert _count_queries(api, f"{URL}/{first.pk}") == small_read
    # A shared client whose other therapist writes too reads the same statements.
    shared = ClientFactory(practice=client_record.practice, therapists=[therapist, other_therapist])
    SessionNoteFactory.create_batch(3, client=shared, therapist=other_therapist)
    assert _count_queries(api, URL) == small_list
    # user, shared clients, count, page with the clients' names, audit insert, plus savepoints.
    assert small_list <= 9


def test_every_edit_keeps_the_previous_version(api, client_record):
    note = SessionNoteFactory(client=client_record)
    for text in ("one", "two", "three"):
        assert api.put(f"{URL}/{note.pk}", {"progress_notes": text}, format="json").status_code == 200
    versions = list(SessionNoteVersion.objects.filter(note=note).values_list("version", "content__progress_notes"))
    assert versions == [(1, note.progress_notes), (2, "one"), (3, "two")]
    note.refresh_from_db()
    assert note.version == 4 and note.progress_notes == "three"


def test_list_items_equal_the_serializer_payload_for_author_and_co_therapist(therapist, other_therapist, practice, rf):
    shared = ClientFactory(practice=practice, therapists=[therapist, other_therapist], last_name="")
    SessionNoteFactory(
        therapist=therapist,
        client=shared,
        private_notes="Mine only",
        tags=["sleep"],
        hulpvragen_progress={"Angst": {"discussed": True, "progress": 40, "notes": "Fewer"}},
        session=SessionFactory(appointment__therapist=therapist, appointment__client=shared),
    )
    SessionNoteFactory(therapist=other_therapist, client=shared, is_locked=True)
    for viewer in (therapist, other_therapist):
        request = rf.get(URL)
        request.user = viewer
        notes = {note.pk: note for note in session_note_list(actor=viewer).select_related("client")}
        rows = list(session_note_list_rows(session_note_list(actor=viewer)))
        assert len(rows) == len(notes) == 2
        for row in rows:
            expected = SessionNoteSerializer(notes[row["id"]], context={"request": request}).data
            assert session_note_list_item(row, viewer_id=viewer.pk) == expected
