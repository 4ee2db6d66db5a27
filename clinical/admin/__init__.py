from . import records  # noqa: F401
