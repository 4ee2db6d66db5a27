from . import homework, notes, records, sessions, surveys  # noqa: F401
