"""Runs slow work off the UI thread and delivers the result on it (after Anki's TaskManager).

Results come back through a signal of a QObject that lives on the UI thread, connected to one of its
own slots: closures are never the target of a cross-thread signal (PySide6 misbehaves with them).
Database writes share one worker thread, because SQLite has one writer anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from threading import Lock
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot


class TaskRunner(QObject):
    _finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._writes = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tuoyu-write")
        self._reads = ThreadPoolExecutor(max_workers=2, thread_name_prefix="tuoyu-read")
        self._lock = Lock()
        self._pending: list[Callable[[], None]] = []
        self._finished.connect(self._drain)

    def run(
        self,
        work: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        *,
        writes: bool,
    ) -> None:
        executor = self._writes if writes else self._reads
        future = executor.submit(work)
        future.add_done_callback(lambda done: self._post(partial(_deliver, done, on_success, on_error)))

    def shutdown(self) -> None:
        self._writes.shutdown(wait=True)
        self._reads.shutdown(wait=True)

    def _post(self, delivery: Callable[[], None]) -> None:  # any thread
        with self._lock:
            self._pending.append(delivery)
        self._finished.emit()

    @Slot()
    def _drain(self) -> None:  # UI thread
        with self._lock:
            pending, self._pending = self._pending, []
        for delivery in pending:
            delivery()


def _deliver(future: Future, on_success: Callable[[Any], None], on_error: Callable[[BaseException], None]) -> None:
    error = future.exception()
    if error is not None:
        on_error(error)
    else:
        on_success(future.result())


class ProgressRelay(QObject):
    """Carries the worker thread's progress to the UI thread (a queued signal to a real slot)."""

    progressed = Signal(int, int)

    def report(self, done: int, total: int) -> None:  # called on the worker thread
        self.progressed.emit(done, total)
