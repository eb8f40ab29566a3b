"""Results: the NDJSON records (written and read back) and the summary built from them."""
