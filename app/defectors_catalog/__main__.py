"""`python -m defectors_catalog` does what the `defectors-catalog` command does."""

import sys

from defectors_catalog.cli import main

if __name__ == "__main__":
    sys.exit(main())
