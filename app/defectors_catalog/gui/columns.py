"""The table's columns: the fields declared with a width (`domain.fields`), in order,
then the person's own verdict (status, tags, note), read from the annotations overlay."""

from __future__ import annotations

from defectors_catalog.domain.fields import ANNOTATION_FIELDS, TABLE_COLUMNS

COLUMNS = (*TABLE_COLUMNS, *ANNOTATION_FIELDS)
COLUMN_INDEX = {column.key: i for i, column in enumerate(COLUMNS)}
ANNOTATION_KEYS = frozenset(column.key for column in ANNOTATION_FIELDS)
# The verdict columns are hidden at first (as the registry declares them): an export of
# what is shown stays the contract's columns until the person picks Status, Tags or Note
# in View → Columns (a saved search keeps that choice).
HIDDEN_BY_DEFAULT = frozenset(column.key for column in COLUMNS if column.hidden)
