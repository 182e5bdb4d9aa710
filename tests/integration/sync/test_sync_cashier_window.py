"""The cashier window and the cloud link (``cashier_window_cases.py``), in a process of its own.

Why a child process: ``run_gui`` runs the application's own event loop to the end, as the real
till does, and the Qt application it leaves behind no longer delivers worker-thread signals to
the widget tests that run after it in the same interpreter. The cases keep their fixtures (a
live cloud per backend, tills to enroll); only the interpreter is fresh.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.qt

CASES = Path(__file__).with_name("cashier_window_cases.py")


def test_the_cashier_window_cases_pass_in_their_own_process(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(CASES),
         "--basetemp", str(tmp_path / "cases")],
        cwd=Path(__file__).resolve().parents[3], env=env, capture_output=True, text=True,
        timeout=600)
    summary = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert " passed" in summary and "skipped" not in summary, summary
