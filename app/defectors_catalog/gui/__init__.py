"""The Qt layer: wraps the domain, never re-implements it."""
