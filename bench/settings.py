"""The production settings, with the straightforward DRF lists (``bench.baseline``) routed
beside the API for comparison. Only the benchmark's server uses it."""

from practice.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
