"""gunicorn's settings for production, behind nginx (deploy/nginx/practice.conf).

    gunicorn practice.wsgi -c deploy/gunicorn.conf.py

Sync workers are only safe behind a buffering proxy: a sync worker serves one connection at
a time, so a client that sends its request slowly would hold a worker for as long as it
likes. nginx reads every request whole (headers and body, with timeouts) before it passes
it on, and takes the response whole, so the workers only ever see complete requests from
nginx itself. Never bind these workers to the network directly."""

import os

# nginx connects here; a unix socket (not reachable from the network) by default.
bind = os.environ.get("GUNICORN_BIND", "unix:/run/practice/gunicorn.sock")
workers = int(os.environ.get("GUNICORN_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
worker_class = "sync"
# A request that takes longer than this is a bug; its worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 2
# Renew workers now and then (bounded memory growth), not all at once.
max_requests = 2000
max_requests_jitter = 200
# The same limits nginx applies, in case a request reaches gunicorn some other way.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
