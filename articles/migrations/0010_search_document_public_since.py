from django.db import migrations, models

# SQLite: the FTS5 index copies the text columns only (migration 0003): writing
# public_since must not make it index the document again.
def fts_values(age):
    folded = [
        f"replace(replace({age}.{column}, 'ё', 'е'), 'Ё', 'Е')"
        for column in ["title", "standfirst", "body"]
    ]
    return ", ".join([f"{age}.id", *folded])


SQLITE_TRIGGER = f"""
    CREATE TRIGGER articles_searchdocument_fts_update
    AFTER UPDATE OF title, standfirst, body ON articles_searchdocument
    BEGIN
        INSERT INTO articles_searchdocument_fts
            (articles_searchdocument_fts, rowid, title, standfirst, body)
        VALUES ('delete', {fts_values("old")});
        INSERT INTO articles_searchdocument_fts (rowid, title, standfirst, body)
        VALUES ({fts_values("new")});
    END
"""


def narrow_sqlite_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER articles_searchdocument_fts_update")
        schema_editor.execute(SQLITE_TRIGGER)


def fill_public_since(apps, schema_editor):
    """`Article.visible_from(language)` for every document, one UPDATE per language of
    this state of the table (one added to LANGUAGES later has no columns yet)."""
    Article = apps.get_model("articles", "Article")
    prefix = "ready_"
    for code in [f.name[len(prefix) :] for f in Article._meta.fields if f.name.startswith(prefix)]:
        schema_editor.execute(
            f"""
            UPDATE articles_searchdocument AS search_document
            SET public_since = CASE
                WHEN article.release_at_{code} > article.published_at
                THEN article.release_at_{code} ELSE article.published_at END
            FROM articles_article AS article
            WHERE article.id = search_document.article_id AND search_document.language = %s
                AND article.status = 'published' AND article.ready_{code}
            """,
            [code],
        )


def analyze(apps, schema_editor):
    # Fresh statistics for the new column, or PostgreSQL may misjudge the date-ordered
    # search plan until autovacuum comes by.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ANALYZE articles_searchdocument")


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0009_went_live_events"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="public_since",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.RunPython(narrow_sqlite_trigger, migrations.RunPython.noop),
        migrations.RunPython(fill_public_since, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(
                fields=["language", "public_since", "article"], name="search_document_public"
            ),
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop),
    ]
