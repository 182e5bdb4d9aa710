"""Worker lanes: jobs run off the UI thread, in order, and every outcome comes back on it."""

from __future__ import annotations

import threading

import pytest
from pytestqt.qtbot import QtBot

from desktop.core.errors import UnknownBarcode
from desktop.ui.workers import Lane

pytestmark = pytest.mark.qt


def test_jobs_run_in_order_off_the_ui_thread_and_report_on_it(qtbot: QtBot) -> None:
    lane = Lane("test")
    ui_thread = threading.get_ident()
    ran_on: list[int] = []
    delivered: list[tuple[int, int]] = []

    def job(i: int) -> int:
        ran_on.append(threading.get_ident())
        return i

    for i in range(50):
        lane.submit(lambda i=i: job(i), lambda v: delivered.append((v, threading.get_ident())))
    qtbot.waitUntil(lambda: lane.pending == 0)
    assert [v for v, _ in delivered] == list(range(50))
    assert {t for _, t in delivered} == {ui_thread}
    assert ui_thread not in ran_on
    lane.close()


def test_a_blocked_lane_never_blocks_another(qtbot: QtBot) -> None:
    slow, fast = Lane("printer"), Lane("till")
    gate = threading.Event()
    done: list[str] = []
    slow.submit(lambda: gate.wait(30), lambda _v: done.append("slow"))
    for _ in range(3):
        fast.submit(lambda: "scan", done.append)
    qtbot.waitUntil(lambda: done.count("scan") == 3)
    assert "slow" not in done and slow.pending == 1
    gate.set()
    qtbot.waitUntil(lambda: "slow" in done)
    slow.close()
    fast.close()


def test_errors_go_to_on_error_or_to_the_failed_signal(qtbot: QtBot) -> None:
    lane = Lane("test")
    caught: list[Exception] = []
    lane.submit(lambda: (_ for _ in ()).throw(UnknownBarcode()), None, caught.append)
    qtbot.waitUntil(lambda: lane.pending == 0)
    assert isinstance(caught[0], UnknownBarcode)
    with qtbot.waitSignal(lane.failed) as blocker:
        lane.submit(lambda: 1 / 0)
    assert isinstance(blocker.args[0], ZeroDivisionError)
    with qtbot.waitSignal(lane.failed) as blocker:  # a broken result handler is contained
        lane.submit(lambda: 1, lambda _v: [][1])
    assert isinstance(blocker.args[0], IndexError)
    lane.close()
    assert lane.submit(lambda: 1) is False
