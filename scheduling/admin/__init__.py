from . import appointments, availability, no_show, recurring  # noqa: F401
