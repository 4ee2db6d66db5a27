"""Profile photos through the API as the frontend's photo component calls it: multipart with
the image in the field ``photo``, ``data.photoUrl`` read back and put in an ``<img>``."""

import io
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from practice.models import User
from practice.tests.factories import StaffFactory, TherapistFactory
from practice.tests.photo_files import (
    HTML_PAYLOAD,
    PDF,
    ZIP_PAYLOAD,
    image_bytes,
    jpeg_with_gps,
    png_declaring,
)
from practice.tests.queries import data_statements

pytestmark = pytest.mark.django_db

OWN = "/api/profile/photo"


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def stored_files(media_root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(media_root)): path.read_bytes() for path in media_root.rglob("*") if path.is_file()}


def upload(api, content: bytes, *, path: str = OWN, name: str = "me.jpg", content_type: str = "image/jpeg"):
    return api.post(path, {"photo": SimpleUploadedFile(name, content, content_type)}, format="multipart")


def photo_url(response) -> str:
    body = response.json()
    assert body["success"] is True, body
    return body["data"]["photoUrl"]


def assert_refused(response, status: int, code: str, user: User, media_root: Path, before: dict[str, bytes]):
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert body["success"] is False
    assert body["code"] == code
    user.refresh_from_db()
    assert stored_files(media_root) == before
    return body


# --- Upload, read back, replace, delete ---------------------------------------------------------


def test_an_upload_is_stored_and_served_to_the_practice(api, therapist, other_therapist_api, staff_api, media_root):
    response = upload(api, image_bytes("JPEG", (300, 200)))
    url = photo_url(response)
    assert response.json()["message"] == "Profile photo updated."
    therapist.refresh_from_db()
    assert therapist.profile_photo.name.startswith("profile-photos/")
    assert therapist.profile_photo.name.endswith(".jpg")
    assert url.startswith(f"http://testserver/api/profile/photo/{therapist.pk}?")
    stored = (media_root / therapist.profile_photo.name).read_bytes()

    for caller in (api, other_therapist_api, staff_api):
        served = caller.get(f"/api/profile/photo/{therapist.pk}")
        assert served.status_code == 200
        assert served["Content-Type"] == "image/jpeg"
        assert served["Cache-Control"] == "private, max-age=3600"
        assert b"".join(served.streaming_content) == stored


def test_the_stored_name_is_random_not_the_uploaded_name(api, therapist, media_root):
    upload(api, image_bytes("PNG"), name="../../etc/passwd.png", content_type="image/png")
    therapist.refresh_from_db()
    assert "passwd" not in therapist.profile_photo.name
    assert therapist.profile_photo.name.endswith(".png")
    assert list(stored_files(media_root)) == [therapist.profile_photo.name]


def test_the_signed_link_opens_the_photo_in_an_img_tag_without_a_token(api, anon_api, therapist, media_root):
    url = photo_url(upload(api, image_bytes("WEBP"), name="x.webp", content_type="image/webp"))
    # As a browser's <img> asks: no Authorization header, an image Accept header.
    served = anon_api.get(url, HTTP_ACCEPT="image/avif,image/webp,image/apng,image/*,*/*;q=0.8")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/webp"


def test_a_tampered_or_expired_link_is_refused(api, anon_api, therapist, media_root, settings):
    url = photo_url(upload(api, image_bytes()))
    query = parse_qs(urlsplit(url).query)
    base = f"/api/profile/photo/{therapist.pk}"
    tampered = anon_api.get(base, {"expires": str(int(query["expires"][0]) + 3600), "signature": query["signature"]})
    assert tampered.status_code == 403
    assert tampered.json()["code"] == "photo_link_invalid"
    expired = anon_api.get(base, {"expires": str(int(time.time()) - 1), "signature": query["signature"]})
    assert expired.status_code == 403
    other_user = TherapistFactory(practice=therapist.practice)
    elsewhere = anon_api.get(f"/api/profile/photo/{other_user.pk}", query)
    assert elsewhere.status_code == 403
    assert anon_api.get(base).status_code == 401


def test_a_replaced_photo_invalidates_its_links_and_its_file_is_deleted(
    api, anon_api, therapist, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first_url = photo_url(upload(api, image_bytes(color="red")))
    therapist.refresh_from_db()
    first_name = therapist.profile_photo.name
    with django_capture_on_commit_callbacks(execute=True):
        second_url = photo_url(upload(api, image_bytes(color="blue")))
    therapist.refresh_from_db()
    assert therapist.profile_photo.name != first_name
    assert list(stored_files(media_root)) == [therapist.profile_photo.name]
    assert anon_api.get(first_url).status_code == 403
    assert anon_api.get(second_url).status_code == 200


def test_delete_removes_the_photo_and_its_file(api, therapist, media_root, django_capture_on_commit_callbacks):
    upload(api, image_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        response = api.delete(OWN)
    assert response.status_code == 200
    assert response.json()["success"] is True
    therapist.refresh_from_db()
    assert not therapist.profile_photo
    assert stored_files(media_root) == {}
    assert api.get(f"/api/profile/photo/{therapist.pk}").status_code == 404
    again = api.delete(OWN)
    assert again.status_code == 404
    assert again.json()["code"] == "not_found"


def test_get_as_json_answers_the_link_as_the_frontend_reads_it(api, therapist, media_root):
    upload(api, image_bytes())
    # The frontend's axios instance sends Accept: application/json and reads data.photoUrl.
    response = api.get(f"/api/profile/photo/{therapist.pk}", {"_t": "1700000000000"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["data"]["photoUrl"].startswith(f"http://testserver/api/profile/photo/{therapist.pk}?")


def test_profile_photo_url_is_on_the_profile(api, therapist, media_root):
    assert api.get("/api/profile").json()["data"]["profile_photo_url"] is None
    url = photo_url(upload(api, image_bytes()))
    assert api.get("/api/profile").json()["data"]["profile_photo_url"] == url


# --- Who may see it -------------------------------------------------------------------------------


def test_another_practices_user_is_a_404(api, other_practice_api, other_practice_therapist, therapist, media_root):
    upload(api, image_bytes())
    upload(other_practice_api, image_bytes())
    for path in (f"/api/profile/photo/{therapist.pk}", f"/api/profile/photo/{other_practice_therapist.pk}"):
        caller = other_practice_api if path.endswith(str(therapist.pk)) else api
        response = caller.get(path)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_a_user_without_a_photo_is_a_404(api, other_therapist, media_root):
    response = api.get(f"/api/profile/photo/{other_therapist.pk}")
    assert response.status_code == 404
    assert response.json()["success"] is False


# --- Bad input: each is the error envelope and changes nothing --------------------------------------


@pytest.fixture
def existing_photo(api, therapist, media_root):
    """The therapist already has a photo: a refused upload must leave it as it was."""
    upload(api, image_bytes(color="green"))
    therapist.refresh_from_db()
    return therapist.profile_photo.name


@pytest.mark.parametrize(
    ("content", "name", "content_type", "status", "code"),
    [
        pytest.param(PDF, "photo.jpg", "image/jpeg", 400, "unsupported_image_type", id="renamed-pdf"),
        pytest.param(HTML_PAYLOAD, "photo.png", "image/png", 400, "unsupported_image_type", id="html"),
        pytest.param(image_bytes("GIF"), "photo.gif", "image/gif", 400, "unsupported_image_type", id="gif"),
        pytest.param(image_bytes("BMP"), "photo.jpg", "image/jpeg", 400, "unsupported_image_type", id="bmp"),
        pytest.param(png_declaring(100_000, 100_000), "bomb.png", "image/png", 400, "image_too_many_pixels", id="bomb"),
        pytest.param(
            png_declaring(8_000, 6_000), "big.png", "image/png", 400, "image_too_many_pixels", id="48-megapixels"
        ),
        pytest.param(
            image_bytes("PNG", (200, 200))[:300], "cut.png", "image/png", 400, "image_unreadable", id="truncated"
        ),
        pytest.param(b"", "empty.jpg", "image/jpeg", 400, "validation_error", id="zero-bytes"),
    ],
)
def test_a_bad_file_is_refused(api, therapist, existing_photo, media_root, content, name, content_type, status, code):
    before = stored_files(media_root)
    body = assert_refused(
        upload(api, content, name=name, content_type=content_type), status, code, therapist, media_root, before
    )
    assert body["errors"][0]["field"] == "photo"
    assert therapist.profile_photo.name == existing_photo


def test_a_6_mb_upload_is_a_413(api, therapist, existing_photo, media_root):
    before = stored_files(media_root)
    six_mb = image_bytes() + b"\x00" * (6 * 1024 * 1024)
    assert_refused(upload(api, six_mb), 413, "payload_too_large", therapist, media_root, before)
    assert therapist.profile_photo.name == existing_photo


def test_a_photo_just_over_5_mb_is_a_413_though_the_request_fits(api, therapist, existing_photo, media_root):
    before = stored_files(media_root)
    content = image_bytes() + b"\x00" * (5 * 1024 * 1024 + 10)
    body = assert_refused(upload(api, content), 413, "payload_too_large", therapist, media_root, before)
    assert body["errors"] == [{"field": "photo", "message": "The photo may be at most 5 MB."}]


def test_the_json_endpoints_keep_their_1_mb_limit(api, therapist):
    response = api.put("/api/profile", {"bio": "x" * (1024 * 1024 + 1)}, format="json")
    assert response.status_code == 413


def test_a_missing_file_field_is_a_400(api, therapist, existing_photo, media_root):
    before = stored_files(media_root)
    response = api.post(OWN, {"image": SimpleUploadedFile("a.jpg", image_bytes(), "image/jpeg")}, format="multipart")
    body = assert_refused(response, 400, "validation_error", therapist, media_root, before)
    assert body["errors"][0]["field"] == "photo"


def test_a_json_body_is_a_415(api, therapist, existing_photo, media_root):
    before = stored_files(media_root)
    response = api.post(OWN, {"photo": "data:image/png;base64,AAAA"}, format="json")
    assert_refused(response, 415, "unsupported_media_type", therapist, media_root, before)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        pytest.param(b"--x\r\nContent-Disposition: form-data; name=photo", "multipart/form-data", id="no-boundary"),
        pytest.param(b"not multipart at all", "multipart/form-data; boundary=zzz", id="garbage"),
    ],
)
def test_a_malformed_multipart_body_is_a_400(api, therapist, existing_photo, media_root, body, content_type):
    before = stored_files(media_root)
    response = api.generic("POST", OWN, body, content_type)
    assert response.status_code == 400
    assert response.json()["success"] is False
    therapist.refresh_from_db()
    assert therapist.profile_photo.name == existing_photo
    assert stored_files(media_root) == before


@pytest.mark.parametrize("payload", [HTML_PAYLOAD, ZIP_PAYLOAD], ids=["html", "zip"])
def test_a_polyglot_is_stored_without_its_payload(api, therapist, media_root, payload):
    response = upload(api, image_bytes("JPEG", (80, 80)) + payload)
    assert response.status_code == 200
    therapist.refresh_from_db()
    stored = (media_root / therapist.profile_photo.name).read_bytes()
    assert payload not in stored
    assert b"<script>" not in stored and b"PK\x03\x04" not in stored
    assert Image.open(io.BytesIO(stored)).format == "JPEG"


def test_exif_and_gps_are_stripped_and_the_photo_turned_upright(api, therapist, media_root):
    original = jpeg_with_gps(size=(64, 48), orientation=6)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the fixture does carry GPS
    upload(api, original)
    therapist.refresh_from_db()
    stored = (media_root / therapist.profile_photo.name).read_bytes()
    image = Image.open(io.BytesIO(stored))
    assert dict(image.getexif()) == {}
    assert "exif" not in image.info
    assert b"Exif" not in stored and b"PhoneMaker" not in stored
    # Orientation 6 means "rotate 90 degrees to show": the stored pixels are upright.
    assert image.size == (48, 64)


def test_a_large_photo_is_shrunk_to_the_maximum_dimension(api, therapist, media_root):
    upload(api, image_bytes("PNG", (3000, 1500)), name="wide.png", content_type="image/png")
    therapist.refresh_from_db()
    image = Image.open(media_root / therapist.profile_photo.name)
    assert image.format == "PNG"
    assert image.size == (1024, 512)


def test_transparency_survives_in_png_and_webp(api, therapist, media_root):
    upload(api, image_bytes("PNG", alpha=True, color=(255, 0, 0, 0)), name="t.png", content_type="image/png")
    therapist.refresh_from_db()
    assert Image.open(media_root / therapist.profile_photo.name).mode == "RGBA"


# --- Staff's photo actions on a therapist ---------------------------------------------------------


def admin_upload_path(therapist_id) -> str:
    return f"/api/admin/therapists/{therapist_id}/photo/upload"


def test_staff_set_and_remove_a_therapists_photo(
    staff_api, therapist, api, media_root, django_capture_on_commit_callbacks
):
    response = upload(staff_api, image_bytes(), path=admin_upload_path(therapist.pk))
    url = photo_url(response)
    therapist.refresh_from_db()
    assert url.startswith(f"http://testserver/api/profile/photo/{therapist.pk}?")
    assert api.get(f"/api/profile/photo/{therapist.pk}").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        removed = staff_api.delete(f"/api/admin/therapists/{therapist.pk}/photo")
    assert removed.status_code == 200
    assert stored_files(media_root) == {}


def test_a_therapist_may_not_use_the_admin_photo_routes(api, other_therapist_api, therapist, media_root):
    for caller in (api, other_therapist_api):
        response = upload(caller, image_bytes(), path=admin_upload_path(therapist.pk))
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
        assert caller.delete(f"/api/admin/therapists/{therapist.pk}/photo").status_code == 403
    assert stored_files(media_root) == {}


def test_staff_cannot_reach_another_practices_therapist_or_a_non_therapist(
    staff_api, staff, other_practice_therapist, media_root
):
    other_staff = StaffFactory(practice=staff.practice)
    for target in (other_practice_therapist, other_staff):
        response = upload(staff_api, image_bytes(), path=admin_upload_path(target.pk))
        assert response.status_code == 404
        assert staff_api.delete(f"/api/admin/therapists/{target.pk}/photo").status_code == 404
    assert stored_files(media_root) == {}


def test_uploads_have_their_own_throttle(api, therapist, media_root, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "uploads": "2/hour"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    assert [upload(api, image_bytes()).status_code for _ in range(2)] == [200, 200]
    refused = upload(api, image_bytes())
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert "Retry-After" in refused
    # Reading photos is not an upload.
    assert api.get(f"/api/profile/photo/{therapist.pk}").status_code == 200


# --- Query counts -----------------------------------------------------------------------------------


def _statements(queries: CaptureQueriesContext) -> int:
    return len(data_statements(queries))


def test_the_photo_endpoints_run_a_constant_number_of_queries(api, therapist, practice, media_root):
    counts = []
    for colleagues in (1, 15):
        TherapistFactory.create_batch(colleagues, practice=practice)
        upload(api, image_bytes())
        with CaptureQueriesContext(connection) as get_queries:
            assert api.get(f"/api/profile/photo/{therapist.pk}").status_code == 200
        with CaptureQueriesContext(connection) as post_queries:
            assert upload(api, image_bytes()).status_code == 200
        with CaptureQueriesContext(connection) as delete_queries:
            assert api.delete(OWN).status_code == 200
        counts.append((_statements(get_queries), _statements(post_queries), _statements(delete_queries)))
    # GET: the caller, the photo's owner. POST and DELETE: the caller, the row locked, its update.
    assert counts == [(2, 3, 3), (2, 3, 3)]
