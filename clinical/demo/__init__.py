"""Demo data of clinical records: sessions, medical histories and goals (``manage.py seed_demo``)."""
