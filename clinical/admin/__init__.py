from . import notes, records, sessions  # noqa: F401
