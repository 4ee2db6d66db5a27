"""Read-only statistics, computed by the database (SPEC §6), one module per area (import
from the module itself): ``statistics`` (a therapist's session statistics), ``summary`` (a
client's session history) and ``summary_text`` (the summary's plain-language sentence).

Each selector takes the actor and answers only about what the actor may see; anything
else is a 404 raised by the ``practice`` selectors it starts from. Every figure is an
aggregate over a constant number of SQL statements, whatever the amount of history."""
