"""Demo data of scheduling: the calendar, recurring series and no-shows (``manage.py seed_demo``)."""
