from . import no_show  # noqa: F401
