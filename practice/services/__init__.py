"""Writes of the core domain, one module per concern: ``audit`` (the hash-chained audit
trail every clinical read and write uses), ``auth`` (sign-in, lockout, token rotation),
``records`` (a client's one-to-one records such as the emergency contact) and ``common``
(the partial-update helper)."""
