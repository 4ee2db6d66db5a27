"""Where uploaded files go: the local media folder unless a bucket is configured."""

import runpy

from practice.settings import base


def _settings(monkeypatch, **env) -> dict:
    for name in ("AWS_STORAGE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL", "AWS_S3_REGION_NAME", "MEDIA_ROOT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(base.__file__)


def test_files_go_to_the_local_media_folder_by_default(monkeypatch):
    settings = _settings(monkeypatch, MEDIA_ROOT="/srv/practice/media")
    assert settings["STORAGES"]["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert settings["MEDIA_ROOT"] == "/srv/practice/media"


def test_a_configured_bucket_selects_the_s3_backend(monkeypatch):
    settings = _settings(
        monkeypatch,
        AWS_STORAGE_BUCKET_NAME="practice-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.net",
        AWS_S3_REGION_NAME="eu-central-1",
    )
    default = settings["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"]["bucket_name"] == "practice-media"
    assert default["OPTIONS"]["endpoint_url"] == "https://s3.example.net"
    assert default["OPTIONS"]["region_name"] == "eu-central-1"
    # Private objects: photos are only ever served through the API.
    assert default["OPTIONS"]["default_acl"] is None
    assert settings["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedStaticFilesStorage"


def test_uploads_have_their_own_limit_and_everything_else_keeps_1_mb(monkeypatch):
    settings = _settings(monkeypatch)
    assert settings["PROFILE_PHOTO_MAX_BYTES"] == 5 * 1024 * 1024
    assert settings["UPLOAD_MAX_REQUEST_BYTES"] > settings["PROFILE_PHOTO_MAX_BYTES"]
    assert settings["DATA_UPLOAD_MAX_MEMORY_SIZE"] == 1024 * 1024
    assert settings["PROFILE_PHOTO_MAX_PIXELS"] == 40_000_000
