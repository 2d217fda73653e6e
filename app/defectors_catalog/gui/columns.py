"""The table's columns: the fields declared with a width (`domain.fields`), in order."""

from __future__ import annotations

from defectors_catalog.domain.fields import TABLE_COLUMNS

COLUMNS = TABLE_COLUMNS
COLUMN_INDEX = {column.key: i for i, column in enumerate(COLUMNS)}
HIDDEN_BY_DEFAULT = frozenset(column.key for column in COLUMNS if column.hidden)
