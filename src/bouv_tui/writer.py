"""The one thread that writes to the database.

Every write of a Workspace, from the CLI and from every screen, runs here, one at a time,
in the order it was asked for: the UI thread never waits for SQLite's write lock, and two
writes of the same process never interleave.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")
_STOP = object()


class Writer:
    """A single worker thread that runs write calls in turn and hands back each result
    (or its exception) through a ``concurrent.futures.Future``."""

    def __init__(self, name: str = "bouv-tui: skrivning"):
        self._name = name
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._closed = False

    @property
    def thread(self) -> threading.Thread | None:
        return self._thread

    def in_writer(self) -> bool:
        return self._thread is not None and threading.current_thread() is self._thread

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future:
        """Queue ``fn(*args, **kwargs)``; the future holds its result or its exception."""
        if self._closed:
            raise RuntimeError("the writer is closed")
        future: Future = Future()
        self._ensure_thread()
        self._queue.put((future, fn, args, kwargs))
        return future

    def run(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)`` on the writer thread, waiting for it (a call made on the
        writer thread itself runs at once: a write may call another write)."""
        if self.in_writer():
            return fn(*args, **kwargs)
        return self.submit(fn, *args, **kwargs).result()

    def close(self, timeout: float | None = 10) -> None:
        """Finish what is queued, then stop the thread."""
        self._closed = True
        thread = self._thread
        if thread is not None and thread.is_alive():
            self._queue.put(_STOP)
            if threading.current_thread() is not thread:
                thread.join(timeout)

    def _ensure_thread(self) -> None:
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name=self._name, daemon=True)
                self._thread.start()

    def _loop(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            future, fn, args, kwargs = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:  # handed to whoever waits for it
                future.set_exception(exc)
            else:
                future.set_result(result)
