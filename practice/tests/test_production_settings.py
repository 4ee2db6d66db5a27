"""The production settings, loaded as a deployment loads them (a fresh process, its
environment): which headers from the network they believe."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
response = Client().get("/api/health", HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="practice.example")
print(json.dumps({
    "header": settings.SECURE_PROXY_SSL_HEADER,
    "status": response.status_code,
    "location": response.get("Location"),
}))
"""


def _production(**env: str) -> dict:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "practice.settings.production",
        "SECRET_KEY": "x" * 64,
        "ALLOWED_HOSTS": "practice.example",
        "DATABASE_URL": "sqlite:///:memory:",
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-c", _PROBE], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_a_trusted_proxy_x_forwarded_proto_is_not_believed():
    # Plain HTTP with a forged "https" is redirected to HTTPS like any plain HTTP request.
    probe = _production(TRUSTED_PROXY_COUNT="0")
    assert probe["header"] is None
    assert probe["status"] == 301
    assert probe["location"] == "https://practice.example/api/health"


@pytest.mark.parametrize("proxies", ["1", "2"])
def test_behind_trusted_proxies_their_x_forwarded_proto_is_believed(proxies):
    probe = _production(TRUSTED_PROXY_COUNT=proxies)
    assert probe["header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert probe["status"] != 301
