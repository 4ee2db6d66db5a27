from . import notes, records, sessions, surveys  # noqa: F401
