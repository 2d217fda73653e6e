"""`python -m benchmarks`: run the benchmark, print the table, write the JSON."""

import sys

from benchmarks.cli import main

if __name__ == "__main__":
    sys.exit(main())
