from . import appointments, availability, invoices, no_show, recurring  # noqa: F401
