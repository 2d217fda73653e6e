"""Defectors Catalog: browse, cross-check and export lists of Soviet and Eastern Bloc defectors."""

__version__ = "0.1.0"
APP_NAME = "Defectors Catalog"
