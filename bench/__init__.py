"""Benchmark of the API on PostgreSQL at practice-group scale (``make bench``)."""
