"""The cashier app (PySide6): scanner-first selling on top of ``desktop.core.Till``.

Layout of the package::

    app.py         start the Qt app over the process's TillServices (theme, window, local API)
    context.py     what every screen gets: till, lanes, ports, language, preferences
    locale.py      uk/ro/en translators and per-locale money, quantity and time text
    translations.py  lupdate/lrelease over i18n/*.ts (``make i18n``)
    theme.py       the high-contrast style sheet and touch-sized metrics
    workers.py     serial worker lanes (till, printer, fiscal, status) with result signals
    scanner.py     application-wide barcode-scanner detection from key timing
    status.py      status sources for the status bar (shift, fiscal, printer, sync)
    devices.py     printer and fiscal adapters over the device services
    window_documents.py  the document worker beside the window (fiscalise, then print)
    problems.py    every error as a sentence a cashier can act on
    session.py     the sale in progress (used on the till lane only)
    widgets/ views/ dialogs/   the screens

The UI thread never touches SQLite or a device: every call into the till or a device runs on a
worker lane and comes back through a signal.
"""
