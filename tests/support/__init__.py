"""What tests (and the sync benchmarks) build their worlds from; never used by the product.

* :mod:`tests.support.world`: a seeded tenant (store, till, products), enrollment codes, a
  till's day pushed to the cloud, the cloud as a child process.
* :mod:`tests.support.fault_proxy`: a TCP proxy that breaks the network reproducibly.
* :mod:`tests.support.till_driver`: a till process that sells until killed (chaos test).
"""
