from . import appointments, no_show  # noqa: F401
