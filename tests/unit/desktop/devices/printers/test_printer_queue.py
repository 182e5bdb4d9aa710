"""The durable print queue against the TCP emulator: offline, restart, crash window, copies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from desktop.devices.emulators.escpos_printer import EscposPrinterEmulator
from desktop.devices.emulators.label_printer import LabelPrinterEmulator
from desktop.devices.printers.config import PrinterConfig
from desktop.devices.printers.labels import LabelContent
from desktop.devices.printers.samples import sample_receipt
from desktop.devices.printers.service import HardwareService
from desktop.devices.printers.settings import HardwareSettings
from desktop.devices.printers.status import PrinterState
from desktop.devices.printers.store import JobState
from desktop.devices.transports import ScriptedTransport

Eventually = Callable[..., None]


def _add(svc: HardwareService, port: int, *, kind: str = "thermal",
         profile: str | None = None) -> PrinterConfig:
    fields = {"name": f"{kind}-{port}", "type": kind, "connection": "network",
              "ip": "127.0.0.1", "port": port}
    if profile:
        fields["profile"] = profile
    return svc.add_printer(fields)


def _copies(emu: EscposPrinterEmulator, number: str) -> tuple[int, int]:
    """(originals, copies) of receipt ``number`` that came out of the printer."""
    pages = [p for p in emu.receipts() if any(number in ln for ln in p.text)]
    copies = sum(1 for p in pages if p.text[0].startswith("*** "))
    return len(pages) - copies, copies


def _state(svc: HardwareService, job_id: str) -> JobState:
    return svc.job(job_id).state


def test_offline_printer_keeps_the_job_and_prints_it_once_when_back(
        service: HardwareService, escpos_emulator: EscposPrinterEmulator,
        eventually: Eventually) -> None:
    """GIVEN a configured printer that is switched off
    WHEN a receipt is printed
    THEN the job stays queued with attempts and the printer shows offline,
    AND when the printer is back the receipt comes out exactly once."""
    cfg = _add(service, escpos_emulator.port)
    escpos_emulator.stop()
    job = service.printing.receipt(sample_receipt("uk", number="S01-T01-0001-0007"))
    eventually(lambda: service.job(job.id).attempts >= 2, what="retries while offline")
    assert _state(service, job.id) is JobState.QUEUED
    assert "refused" in (service.job(job.id).last_error or "").lower()
    assert service.view(cfg.id, live=False).status.state is PrinterState.OFFLINE

    escpos_emulator.start()
    eventually(lambda: _state(service, job.id) is JobState.DONE, what="printed when back")
    assert _copies(escpos_emulator, "S01-T01-0001-0007") == (1, 0)
    assert service.view(cfg.id).stats.total == 1  # type: ignore[union-attr]


def test_till_restart_while_printer_offline_prints_exactly_once(
        home: Path, fast_settings: HardwareSettings, escpos_emulator: EscposPrinterEmulator,
        eventually: Eventually) -> None:
    """GIVEN a queued receipt for an offline printer WHEN the till restarts and then the
    printer comes back THEN the receipt is printed once, by the new till process."""
    first = HardwareService(home, settings=fast_settings).start()
    cfg = _add(first, escpos_emulator.port)
    escpos_emulator.stop()
    job = first.printing.receipt(sample_receipt("ro", number="S01-T01-0002-0001"))
    eventually(lambda: first.job(job.id).attempts >= 1)
    first.close()

    second = HardwareService(home, settings=fast_settings).start()
    try:
        assert _state(second, job.id) is JobState.QUEUED
        escpos_emulator.start()
        eventually(lambda: _state(second, job.id) is JobState.DONE)
        assert _copies(escpos_emulator, "S01-T01-0002-0001") == (1, 0)
        assert second.view(cfg.id).status.state is PrinterState.ONLINE
    finally:
        second.close()


def test_paper_out_holds_the_job_and_reaches_the_status(
        service: HardwareService, escpos_emulator: EscposPrinterEmulator,
        eventually: Eventually) -> None:
    """GIVEN a printer out of paper WHEN a receipt is printed THEN nothing is sent, the
    status says paper_out, and the receipt prints once paper is loaded."""
    cfg = _add(service, escpos_emulator.port)
    escpos_emulator.set_status("paper-out")
    job = service.printing.receipt(sample_receipt("uk", number="S01-T01-0003-0001"))
    eventually(lambda: service.job(job.id).attempts >= 1)
    assert service.view(cfg.id).status.state is PrinterState.PAPER_OUT
    assert _state(service, job.id) is JobState.QUEUED
    assert escpos_emulator.receipts() == []
    escpos_emulator.set_status("ready")
    eventually(lambda: _state(service, job.id) is JobState.DONE)
    assert _copies(escpos_emulator, "S01-T01-0003-0001") == (1, 0)


def test_connection_lost_mid_send_resends_once_as_copy(
        service: HardwareService, escpos_emulator: EscposPrinterEmulator,
        eventually: Eventually) -> None:
    """GIVEN the connection drops right after the receipt bytes went out (no confirmation)
    WHEN the queue recovers THEN it resends once, marked COPY: never two originals."""
    _add(service, escpos_emulator.port)
    escpos_emulator.hang_up_on_next_job()
    job = service.printing.receipt(sample_receipt("uk", number="S01-T01-0004-0001"))
    eventually(lambda: _state(service, job.id) is JobState.DONE)
    assert _copies(escpos_emulator, "S01-T01-0004-0001") == (1, 1)
    done = service.job(job.id)
    assert done.is_copy and done.resent and done.attempts == 2


def test_a_second_interruption_fails_instead_of_resending_again(
        service: HardwareService, escpos_emulator: EscposPrinterEmulator,
        eventually: Eventually) -> None:
    _add(service, escpos_emulator.port)
    escpos_emulator.hang_up_on_next_job(times=2)
    job = service.printing.receipt(sample_receipt("uk", number="S01-T01-0004-0002"))
    eventually(lambda: _state(service, job.id) is JobState.FAILED)
    assert "outcome is unknown" in (service.job(job.id).last_error or "")
    assert _copies(escpos_emulator, "S01-T01-0004-0002") == (1, 1)


def test_crash_between_send_and_done_recovers_as_copy_after_restart(
        home: Path, fast_settings: HardwareSettings, escpos_emulator: EscposPrinterEmulator,
        eventually: Eventually) -> None:
    """GIVEN the till died after sending a receipt but before marking it done
    WHEN the till starts again THEN the job is resent once, marked COPY."""
    first = HardwareService(home, settings=fast_settings).start()
    cfg = _add(first, escpos_emulator.port)
    first.close()  # workers stopped: we play the worker by hand up to the crash
    doc = sample_receipt("ro", number="S01-T01-0005-0001")
    job = first.printing.receipt(doc)
    assert first.store.mark_sending(job.id, 1)
    driver = first.queue.driver(cfg)
    with driver.session():
        driver.write(job.payload)
        driver.confirm()
    # -- crash: "done" was never written --
    second = HardwareService(home, settings=fast_settings).start()
    try:
        eventually(lambda: _state(second, job.id) is JobState.DONE)
        assert second.job(job.id).is_copy
        assert _copies(escpos_emulator, "S01-T01-0005-0001") == (1, 1)
    finally:
        second.close()


def test_interrupted_label_job_is_failed_not_guessed(
        service: HardwareService, label_emulator: LabelPrinterEmulator,
        eventually: Eventually) -> None:
    cfg = _add(service, label_emulator.port, kind="label", profile="zebra-zd420")
    service.close()
    job = service.printing.labels([(LabelContent("product", name="X", price=100), 5)],
                                  printer_id=cfg.id)
    service.store.mark_sending(job.id, 1)
    service.queue.start()  # recovery on start
    assert _state(service, job.id) is JobState.FAILED
    assert label_emulator.zpl_labels() == []


def test_reprint_is_a_new_job_marked_copy(
        service: HardwareService, escpos_emulator: EscposPrinterEmulator,
        eventually: Eventually) -> None:
    _add(service, escpos_emulator.port)
    job = service.printing.receipt(sample_receipt("uk", number="S01-T01-0006-0001"))
    eventually(lambda: _state(service, job.id) is JobState.DONE)
    again = service.printing.reprint(job.id)
    assert again.id != job.id and again.is_copy and again.copy_of == job.id
    eventually(lambda: _state(service, again.id) is JobState.DONE)
    assert _copies(escpos_emulator, "S01-T01-0006-0001") == (1, 1)


def test_jobs_print_in_order_and_dedupe(
        service: HardwareService, escpos_emulator: EscposPrinterEmulator,
        eventually: Eventually) -> None:
    _add(service, escpos_emulator.port)
    escpos_emulator.stop()
    numbers = [f"S01-T01-0007-000{i}" for i in range(1, 4)]
    jobs = [service.printing.receipt(sample_receipt("uk", number=n), dedupe_key=n)
            for n in numbers]
    assert service.printing.receipt(sample_receipt("uk", number=numbers[0]),
                                    dedupe_key=numbers[0]).id == jobs[0].id
    escpos_emulator.start()
    eventually(lambda: all(_state(service, j.id) is JobState.DONE for j in jobs))
    printed = [next(ln for ln in p.text if "S01-T01-0007" in ln) for p in
               escpos_emulator.receipts()]
    assert [next(n for n in numbers if n in ln) for ln in printed] == numbers


def test_protocol_garbage_fails_the_job(home: Path, fast_settings: HardwareSettings,
                                        eventually: Eventually) -> None:
    """GIVEN a device that answers status with bytes that are not ESC/POS status
    THEN the job fails with the reason instead of retrying forever."""
    garbage = ScriptedTransport([b"\x00"] * 100)
    settings = replace(fast_settings, file_devices=(str(home.parent / "lp*"),))
    (home.parent / "lp0").touch()
    svc = HardwareService(home, settings=settings, transports=lambda cfg: garbage)
    svc.start()
    try:
        cfg = svc.add_printer({"name": "odd", "type": "thermal", "connection": "file",
                               "device": str(home.parent / "lp0")})
        job = svc.printing.text("hello", printer_id=cfg.id)
        eventually(lambda: _state(svc, job.id) is JobState.FAILED)
        assert "not a DLE EOT" in (svc.job(job.id).last_error or "")
        assert svc.view(cfg.id, live=False).status.state is PrinterState.ERROR
    finally:
        svc.close()
