"""The Tillbridge till: offline store, devices, local API and the cashier UI.

Layout (dependencies point down the list; ``core`` and ``store`` import neither Qt, FastAPI,
``ui`` nor ``api``)::

    app.py          the composition root: TillServices builds the till, the device services
                    and the sync runner once per process and hands them to everything below
    cli.py          ``tillbridge-till``: run the window or the headless till, shell commands
    headless.py     the headless till: local API in the foreground + document worker
    ui/             the cashier window (PySide6): views/, dialogs/, widgets/, status ports
    api/            the local FastAPI on 127.0.0.1 (hardware, fiscal, sync routes; server.py)
    documents/      the document worker: fiscalise, then print, every completed document
    sync_runtime.py enrollment, one-shot sync and the link's status over ``sync``
    devices/        transports, byte protocols, printers, fiscal drivers, emulators
    core/           the till's business logic (catalog, cart, payments, shifts, journal)
    store/          SQLite schema, migrations, repositories
    config.py       where the store, token and logs live; where the local API listens

Where a new piece goes:

* a new screen: a view in ``ui/views/`` (or a dialog in ``ui/dialogs/``) built from the
  :class:`~desktop.ui.context.UiContext` — the till, the worker lanes and the device ports —
  calling the till and devices on a lane, never on the UI thread;
* a new device service: its package under ``devices/``, then one ``Lazy`` in
  :class:`desktop.app.TillServices` that builds and closes it; the window and the local API
  get it from there (never build it twice, never keep it in a module global);
* a new local API route: a router in ``api/<family>.py`` (thin: parse, call ``core`` or a
  device service, shape the answer), included in :func:`desktop.api.app.create_app`, its
  services through :data:`desktop.api.deps.Services`.
"""

from __future__ import annotations

__version__ = "0.1.0"
