"""Defectors Catalog: browse, cross-check and export lists of Soviet and Eastern Bloc defectors."""

import os

__version__ = "0.2.0"
APP_NAME = "Defectors Catalog"

# numpy starts one OpenBLAS thread per core when it is imported, which costs 50-80 ms of
# every start here; the catalog never multiplies matrices, so one thread is enough. Set
# before anything imports numpy; a value the person set themselves is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
