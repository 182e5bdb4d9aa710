"""A 30-line receipt → ESC/POS bytes: p50/p99 per render vs python-escpos's own text().

Baseline: the same printed lines (read back from our output) written with python-escpos's
``textln`` (its magic encoder picks code pages per character), plus its native QR and cut,
into its ``Dummy`` printer. The baseline does less (no layout, no VAT/amount formatting) and
also shows how many '?' it prints for the Romanian receipt.
"""

from __future__ import annotations

import time
from typing import Any

from bench._harness import percentile
from desktop.devices.printers.receipt import ReceiptRenderer
from desktop.devices.printers.samples import sample_receipt
from desktop.devices.profiles import receipt_profile
from desktop.devices.protocols.escpos.decode import decode


def _samples(fn: Any, n: int) -> tuple[list[float], list[float]]:
    """Wall-clock and this thread's CPU milliseconds per call (CPU time leaves out the time
    the OS gave to other processes, which dominates p99 on a busy shared machine)."""
    wall, cpu = [], []
    for _ in range(n):
        c0, t0 = time.thread_time(), time.perf_counter()
        fn()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
    return wall, cpu


def run(size: int) -> tuple[dict[str, object], dict[str, float]]:
    from escpos.printer import Dummy

    lines = 30
    renderer = ReceiptRenderer(receipt_profile("generic-80"))
    doc = sample_receipt("uk", lines=lines)
    data = renderer.render(doc)
    page = decode(data).pages[0]
    printed = page.lines
    qr = page.qr_codes[0]

    def ours() -> None:
        renderer.render(doc)

    def baseline() -> None:
        p = Dummy()
        for ln in printed:
            p.textln(ln.text)
        p.qr(qr, native=True)
        p.cut()
        _ = p.output

    for _ in range(20):  # warm caches on both sides
        ours()
        baseline()
    mine, mine_cpu = _samples(ours, size)
    base, base_cpu = _samples(baseline, max(50, size // 4))

    ro_doc = sample_receipt("ro", lines=lines)
    ro_page = decode(ReceiptRenderer(receipt_profile("generic-80")).render(ro_doc)).pages[0]
    ro_base = Dummy()
    for ln in ro_page.lines:
        ro_base.textln(ln.text.replace("ş", "ș").replace("ţ", "ț").replace("Ş", "Ș")
                       .replace("Ţ", "Ț"))
    ro_text = "\n".join(ln.text for ln in decode(ro_base.output).pages[0].lines)

    return (
        {"receipt_lines": lines, "printed_lines": len(printed), "renders": size,
         "profile": "generic-80", "language": "uk"},
        {
            "render_p50_ms": percentile(mine, 50),
            "render_p99_ms": percentile(mine, 99),
            "baseline_p50_ms": percentile(base, 50),
            "baseline_p99_ms": percentile(base, 99),
            "render_cpu_p99_ms": percentile(mine_cpu, 99),
            "baseline_cpu_p99_ms": percentile(base_cpu, 99),
            "ratio_render_vs_escpos_text_p99": percentile(mine, 99) / percentile(base, 99),
            "ratio_render_vs_escpos_text_p50": percentile(mine, 50) / percentile(base, 50),
            "output_bytes": float(len(data)),
            "ro_baseline_question_marks_count": float(ro_text.count("?")),
            "ro_ours_question_marks_count": float("".join(ro_page.text).count("?")),
        },
    )
