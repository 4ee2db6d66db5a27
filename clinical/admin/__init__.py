from . import records, sessions  # noqa: F401
