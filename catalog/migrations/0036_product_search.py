"""Full-text search of products on PostgreSQL (issue 22): a search vector column kept by
triggers, its GIN index, and pg_trgm with a trigram index on titles for typos.

Why triggers rather than a service or a generated column: the vector reads four tables
(the product, its categories, its workshop and the workshop's Lapas). A generated column
may only read its own row. A service would have to be called from every path that writes
any of them: Oscar's dashboard forms, the admin, the demo loader, the 10,000-product
seeder's bulk_create, test factories. One path forgotten and a product silently drops
out of search. The triggers below are the whole logic, in one place: a product row
computes its own vector on insert and on any change of the fields it reads; a change of
its categories, or a rename of a category, workshop or Lapas, asks the products concerned
to recompute theirs. A later change of the weights redefines the function and runs
``UPDATE catalogue_product SET search_vector = NULL`` (every product recomputes).

The column is not a Django field: Django never reads it (listings stay as light as
before) and never writes a stale copy back; queries reach it through
shop.apps.search.backends.SearchVector. SQLite (the embedded demo) gets none of this and
searches with icontains (shop.apps.search.backends.SimpleBackend).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

VECTOR_FUNCTION = r"""
CREATE OR REPLACE FUNCTION karya_product_search_vector(
    product_id integer, title text, description text, label_name text, ingredients text,
    workshop_id integer
) RETURNS tsvector LANGUAGE sql STABLE AS $$
  -- Weights: title A; categories, workshop and Lapas B; description C; label name and
  -- ingredients D. Indonesian and English stems side by side: a query is parsed in the
  -- visitor's language (shop.apps.search.backends) and finds its own stems.
  SELECT
      setweight(to_tsvector('indonesian', coalesce(title, '')), 'A')
   || setweight(to_tsvector('english', coalesce(title, '')), 'A')
   || setweight(to_tsvector('indonesian', makers.names), 'B')
   || setweight(to_tsvector('english', makers.names), 'B')
   || setweight(to_tsvector('indonesian', plain.text), 'C')
   || setweight(to_tsvector('english', plain.text), 'C')
   || setweight(to_tsvector('indonesian', concat_ws(' ', label_name, ingredients)), 'D')
  FROM (
      SELECT concat_ws(' ',
          (SELECT string_agg(c.name, ' ')
             FROM catalogue_productcategory pc
             JOIN catalogue_category c ON c.id = pc.category_id
            WHERE pc.product_id = $1),
          (SELECT w.name || ' ' || p.name
             FROM production_link_workshop w
             JOIN partner_partner p ON p.id = w.lapas_id
            WHERE w.id = $6)
      ) AS names
  ) AS makers,
  (SELECT regexp_replace(coalesce(description, ''), '<[^>]*>', ' ', 'g') AS text) AS plain
$$;

CREATE OR REPLACE FUNCTION karya_product_search_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector := karya_product_search_vector(
      NEW.id, NEW.title, NEW.description, NEW.label_name, NEW.ingredients, NEW.workshop_id);
  RETURN NEW;
END $$;

-- Setting search_vector to anything (NULL) makes a product recompute its vector.
CREATE OR REPLACE FUNCTION karya_search_categories_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE catalogue_product SET search_vector = NULL
   WHERE id IN (SELECT product_id FROM changed);
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION karya_search_maker_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'catalogue_category' THEN
    UPDATE catalogue_product SET search_vector = NULL
     WHERE id IN (SELECT product_id FROM catalogue_productcategory WHERE category_id = NEW.id);
  ELSIF TG_TABLE_NAME = 'production_link_workshop' THEN
    UPDATE catalogue_product SET search_vector = NULL WHERE workshop_id = NEW.id;
  ELSE
    UPDATE catalogue_product SET search_vector = NULL
     WHERE workshop_id IN (SELECT id FROM production_link_workshop WHERE lapas_id = NEW.id);
  END IF;
  RETURN NULL;
END $$;
"""

FORWARD = (
    "ALTER TABLE catalogue_product ADD COLUMN search_vector tsvector",
    VECTOR_FUNCTION,
    """CREATE TRIGGER catalogue_product_search
       BEFORE INSERT OR UPDATE OF title, description, label_name, ingredients, workshop_id,
           search_vector
       ON catalogue_product FOR EACH ROW EXECUTE FUNCTION karya_product_search_row()""",
    """CREATE TRIGGER catalogue_productcategory_search_added
       AFTER INSERT ON catalogue_productcategory REFERENCING NEW TABLE AS changed
       FOR EACH STATEMENT EXECUTE FUNCTION karya_search_categories_changed()""",
    """CREATE TRIGGER catalogue_productcategory_search_moved
       AFTER UPDATE ON catalogue_productcategory REFERENCING NEW TABLE AS changed
       FOR EACH STATEMENT EXECUTE FUNCTION karya_search_categories_changed()""",
    """CREATE TRIGGER catalogue_productcategory_search_removed
       AFTER DELETE ON catalogue_productcategory REFERENCING OLD TABLE AS changed
       FOR EACH STATEMENT EXECUTE FUNCTION karya_search_categories_changed()""",
    """CREATE TRIGGER catalogue_category_search_renamed
       AFTER UPDATE OF name ON catalogue_category FOR EACH ROW
       WHEN (OLD.name IS DISTINCT FROM NEW.name)
       EXECUTE FUNCTION karya_search_maker_renamed()""",
    """CREATE TRIGGER production_link_workshop_search_renamed
       AFTER UPDATE OF name, lapas_id ON production_link_workshop FOR EACH ROW
       WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.lapas_id IS DISTINCT FROM NEW.lapas_id)
       EXECUTE FUNCTION karya_search_maker_renamed()""",
    """CREATE TRIGGER partner_partner_search_renamed
       AFTER UPDATE OF name ON partner_partner FOR EACH ROW
       WHEN (OLD.name IS DISTINCT FROM NEW.name)
       EXECUTE FUNCTION karya_search_maker_renamed()""",
    "UPDATE catalogue_product SET search_vector = NULL",
    "CREATE INDEX catalogue_product_search ON catalogue_product USING gin (search_vector)",
    # Typo tolerance: word_similarity (<%) of a query word against titles, from an index.
    """CREATE INDEX catalogue_product_title_trgm ON catalogue_product
       USING gin (title gin_trgm_ops)""",
)

BACKWARD = (
    "DROP TRIGGER IF EXISTS partner_partner_search_renamed ON partner_partner",
    "DROP TRIGGER IF EXISTS production_link_workshop_search_renamed ON production_link_workshop",
    "DROP TRIGGER IF EXISTS catalogue_category_search_renamed ON catalogue_category",
    "DROP TRIGGER IF EXISTS catalogue_productcategory_search_removed ON catalogue_productcategory",
    "DROP TRIGGER IF EXISTS catalogue_productcategory_search_moved ON catalogue_productcategory",
    "DROP TRIGGER IF EXISTS catalogue_productcategory_search_added ON catalogue_productcategory",
    "DROP TRIGGER IF EXISTS catalogue_product_search ON catalogue_product",
    "DROP FUNCTION IF EXISTS karya_search_maker_renamed()",
    "DROP FUNCTION IF EXISTS karya_search_categories_changed()",
    "DROP FUNCTION IF EXISTS karya_product_search_row()",
    "DROP FUNCTION IF EXISTS karya_product_search_vector(integer, text, text, text, text, integer)",
    "DROP INDEX IF EXISTS catalogue_product_title_trgm",
    "ALTER TABLE catalogue_product DROP COLUMN IF EXISTS search_vector",
)


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0035_browse_newest_index"),
        ("partner", "0009_partner_pnbp_account_code"),
        ("production_link", "0004_pnbp_ledger_append_only"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False),
    ]
