"""`python -m defectors_catalog` does what the `defectors-catalog` command does."""

from defectors_catalog.cli import console_main

if __name__ == "__main__":
    console_main()
