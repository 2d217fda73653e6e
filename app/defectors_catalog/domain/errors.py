"""Errors and warnings the domain raises, each carrying a message meant for a person."""


class CatalogError(Exception):
    """Something the user can fix: a missing file, a bad manifest, an unwritable path."""


class SourceReadError(CatalogError):
    """A source file could not be read or decoded."""


class ManifestError(CatalogError):
    """The sources manifest is missing, malformed or inconsistent."""


class ExportError(CatalogError):
    """The export could not be written; no partial file was left behind."""


class CatalogWarning(UserWarning):
    """Raised as an error in the test suite, so no project warning goes unnoticed."""
