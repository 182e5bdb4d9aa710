"""Zeroconf discovery, bound to 127.0.0.1 only."""

from __future__ import annotations

from desktop.devices.discovery import Candidate, DiscoveryRegistry, DiscoveryUnavailable
from desktop.devices.discovery.guess import guess_kind_and_profile
from desktop.devices.discovery.mdns import Advertisement, MdnsEnumerator
from desktop.devices.emulators.escpos_printer import EscposPrinterEmulator
from desktop.devices.emulators.label_printer import LabelPrinterEmulator


def test_advertised_emulators_are_found_on_loopback() -> None:
    """GIVEN an ESC/POS emulator announced as _pdl-datastream and a label emulator announced
    as _printer on 127.0.0.1 WHEN discovery browses loopback THEN both are offered with
    their address, port and a guessed profile."""
    with EscposPrinterEmulator() as pos, LabelPrinterEmulator() as lab, \
            Advertisement("Counter POS-80", "_pdl-datastream._tcp.local.", pos.port), \
            Advertisement("Zebra ZD420 back", "_printer._tcp.local.", lab.port,
                          properties={"ty": "Zebra ZD420", "usb_MFG": "Zebra"}):
        # RFC 6762 §6: a record is multicast at most once a second
        found = {c.name: c for c in MdnsEnumerator(["127.0.0.1"]).enumerate(2.5)}
    pos_c = found["Counter POS-80"]
    assert (pos_c.ip, pos_c.port, pos_c.type, pos_c.profile) == (
        "127.0.0.1", pos.port, "thermal", "generic-80")
    assert pos_c.service == "_pdl-datastream._tcp"
    lab_c = found["Zebra ZD420 back"]
    assert (lab_c.type, lab_c.profile, lab_c.vendor) == ("label", "generic-zpl", "Zebra")
    assert lab_c.port == 9100  # raw printing port, whatever service announced it


class _Broken:
    name = "usb"

    def enumerate(self, timeout: float) -> list[Candidate]:
        raise DiscoveryUnavailable("libusb is not installed")


class _Fixed:
    name = "mdns"

    def __init__(self, *cands: Candidate) -> None:
        self.cands = list(cands)

    def enumerate(self, timeout: float) -> list[Candidate]:
        return self.cands


def test_registry_collects_notes_and_dedupes() -> None:
    c = Candidate("mdns", "A", "network", "thermal", "generic-80", ip="10.0.0.5", port=9100)
    reg = DiscoveryRegistry()
    reg.register(_Fixed(c, c))
    reg.register(_Broken())
    result = reg.discover(0.1)
    assert result.candidates == [c]
    assert result.notes == ["usb: libusb is not installed"]
    assert reg.discover(0.1, only=["usb"]).candidates == []


def test_guesses() -> None:
    assert guess_kind_and_profile("TSC", "TE200") == ("label", "generic-tspl")
    assert guess_kind_and_profile("", "POS-58") == ("thermal", "generic-58")
    assert guess_kind_and_profile("EPSON", "TM-T20III") == ("thermal", "generic-80")
