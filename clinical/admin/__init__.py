from . import sessions  # noqa: F401
