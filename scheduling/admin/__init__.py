from . import recurring  # noqa: F401
