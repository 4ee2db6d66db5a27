from . import appointments, no_show, recurring  # noqa: F401
