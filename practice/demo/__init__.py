"""Demo data of the core domain: practices, people and clients (``manage.py seed_demo``)."""
