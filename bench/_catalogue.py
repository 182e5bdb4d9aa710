"""Every benchmark, by name, with its module and default size."""

from __future__ import annotations

from bench._harness import register

register("money_tax", "bench.money_tax", 200_000)
register("receipt_render", "bench.receipt_render", 2_000)
register("label_batch", "bench.label_batch", 1_000)
register("jobs", "bench.jobs", 2_000)
register("till_lookup", "bench.till_lookup", 200_000)
register("till_sale", "bench.till_sale", 1_000)
register("till_catalog_load", "bench.till_catalog_load", 200_000)
register("fiscal_datecs", "bench.fiscal_datecs", 300)
register("auth", "bench.auth", 1_000)
register("catalog_import", "bench.catalog_import", 100_000)
register("recon_engine", "bench.recon_engine", 200_000)
register("till_startup", "bench.till_startup", 200_000)
register("sync_push", "bench.sync_push", 20_000)
register("sync_bootstrap", "bench.sync_bootstrap", 100_000)
