from . import records, sessions, surveys  # noqa: F401
