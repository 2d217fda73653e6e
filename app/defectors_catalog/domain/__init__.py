"""The catalog's domain: parsing, merging, provenance, query and export. Never imports Qt."""
