"""The database's own full-text index beside catalogue_searchentry.

SQLite: an FTS5 table over the entry's text, accents and case folded, kept in step by triggers
in the same transaction as every write. PostgreSQL: a generated, weighted tsvector column with a
GIN index, through a text search configuration that folds accents with unaccent. Neither stems
words, so both answer the same query alike, in Spanish and English.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE catalogue_search_fts USING fts5(
        title, names, body,
        content='catalogue_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER catalogue_search_ai AFTER INSERT ON catalogue_searchentry BEGIN
        INSERT INTO catalogue_search_fts(rowid, title, names, body)
        VALUES (new.id, new.title, new.names, new.body);
    END""",
    """CREATE TRIGGER catalogue_search_ad AFTER DELETE ON catalogue_searchentry BEGIN
        INSERT INTO catalogue_search_fts(catalogue_search_fts, rowid, title, names, body)
        VALUES ('delete', old.id, old.title, old.names, old.body);
    END""",
    """CREATE TRIGGER catalogue_search_au AFTER UPDATE ON catalogue_searchentry BEGIN
        INSERT INTO catalogue_search_fts(catalogue_search_fts, rowid, title, names, body)
        VALUES ('delete', old.id, old.title, old.names, old.body);
        INSERT INTO catalogue_search_fts(rowid, title, names, body)
        VALUES (new.id, new.title, new.names, new.body);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS catalogue_search_au",
    "DROP TRIGGER IF EXISTS catalogue_search_ad",
    "DROP TRIGGER IF EXISTS catalogue_search_ai",
    "DROP TABLE IF EXISTS catalogue_search_fts",
]

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'memoria') THEN
            CREATE TEXT SEARCH CONFIGURATION memoria (COPY = simple);
            ALTER TEXT SEARCH CONFIGURATION memoria
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
        END IF;
    END $$""",
    """ALTER TABLE catalogue_searchentry ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('memoria'::regconfig, title), 'A')
        || setweight(to_tsvector('memoria'::regconfig, names), 'B')
        || setweight(to_tsvector('memoria'::regconfig, body), 'C')
    ) STORED""",
    "CREATE INDEX catalogue_searchentry_vector ON catalogue_searchentry USING gin (vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS catalogue_searchentry_vector",
    "ALTER TABLE catalogue_searchentry DROP COLUMN IF EXISTS vector",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0003_search_entry")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
