"""What tests (and the sync benchmarks) build their worlds from; never used by the product.

* :mod:`tests.support.db`: PostgreSQL schemas and cloud databases migrated once per run
  (behind the ``migrated_dbs`` fixture in ``tests/conftest.py``).
* :mod:`tests.support.factories`: a till (scratch or at a home), a cloud store with its till.
* :mod:`tests.support.cloud_api`: tenants with users and API keys, settings for a test cloud,
  and an API client that logs in as them.
* :mod:`tests.support.world`: a seeded tenant (store, till, products), enrollment codes, a
  till's day pushed to the cloud, the cloud as a child process.
* :mod:`tests.support.fault_proxy`: a TCP proxy that breaks the network reproducibly.
* :mod:`tests.support.till_driver`: a till process that sells until killed (chaos test).
* :mod:`tests.support.printers`: an ESC/POS printer emulator and a hardware service using it.
"""
