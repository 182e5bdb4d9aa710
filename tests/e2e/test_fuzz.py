"""`make fuzz` in CI, on a bounded budget: no server errors, no answers outside the documents.

GIVEN a real cloud on PostgreSQL (logged in as a tenant admin) and a headless till driving the
      Datecs emulator (with its local API token)
WHEN schemathesis runs its examples, coverage, fuzzing and stateful phases on each OpenAPI
     document (FUZZ_BUDGET seconds per server, fixed seed: the same run every time)
THEN it finds nothing: `scripts/fuzz.py` exits 0.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.e2e
@pytest.mark.slow
@pytest.mark.pg
def test_fuzz_finds_no_server_error_and_no_schema_violation(tmp_path: Path,
                                                           pg_server_url: str) -> None:
    budget = os.environ.get("FUZZ_BUDGET", "90")
    env = {**os.environ,
           "FUZZ_PG_URL": pg_server_url.replace("postgresql+psycopg://", "postgresql://", 1)}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "fuzz.py"), "--budget", budget, "--keep",
         str(tmp_path)], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=int(budget) * 2 + 600)
    tail = (proc.stdout + proc.stderr)[-20000:]
    assert proc.returncode == 0, tail
