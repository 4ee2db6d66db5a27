from . import (
    no_show,  # noqa: F401
    recurring,  # noqa: F401
)
