"""The person's own data: a verdict per record (status, tags, note) and saved searches,
kept in one SQLite database in the app's data folder.

`store.AnnotationStore` opens the database (`schema` migrates it); `overlay` lays the
verdicts over a built catalog as columns the query engine filters, counts and sorts,
and says which stored verdicts each record answers to (`record_ids`); `views` holds the
saved searches. The layer sits above `catalog` (it reads built catalogs) and below
`output` (the export writes the verdicts' columns from the engine's overlay).
"""
