"""Running one task from several threads at once, each with its own database connection:
how the concurrency tests make requests meet on PostgreSQL."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from django.db import connection

T = TypeVar("T")


def run_concurrently(task: Callable[[int], T], count: int) -> list[T]:
    """``task(0)`` .. ``task(count - 1)``, each in its own thread, released together by a
    barrier; their results in that order. An exception in a task is raised here, and each
    thread closes its connection when done."""
    barrier = threading.Barrier(count)

    def worker(index: int) -> T:
        try:
            barrier.wait()
            return task(index)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(worker, range(count)))
