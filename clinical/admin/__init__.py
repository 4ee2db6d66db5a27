from . import homework, records, sessions  # noqa: F401
