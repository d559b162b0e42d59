"""Search reads both languages (issue 18): the search vector of 0036 now takes the
Indonesian and English columns of catalog/translation.py, each parsed with its own
language (Indonesian text also with the English parser, as before, so English queries
still find Indonesian words such as "batik"), and the triggers listen to the new
columns. The original ``title``/``description``/``ingredients`` columns hold whatever
language was active at the last save (modeltranslation keeps them for Django), so no
SQL reads them any more. Typo suggestions read a trigram index per language: Indonesian
titles, and English titles where they exist, else the Indonesian one.
"""

from importlib import import_module

from django.db import migrations

# 0036's own definitions, to go back to (its module name starts with a digit).
before = import_module("catalog.migrations.0036_product_search")

VECTOR_FUNCTION = r"""
CREATE OR REPLACE FUNCTION karya_product_search_vector_i18n(
    product_id integer, title_ind text, title_en text, description_ind text,
    description_en text, label_name text, ingredients_ind text, ingredients_en text,
    workshop_id integer
) RETURNS tsvector LANGUAGE sql STABLE AS $$
  -- Weights as in 0036: title A; categories, workshop and Lapas B; description C;
  -- label name and ingredients D.
  SELECT
      setweight(to_tsvector('indonesian', coalesce(title_ind, '')), 'A')
   || setweight(to_tsvector('english', coalesce(title_ind, '')), 'A')
   || setweight(to_tsvector('english', coalesce(title_en, '')), 'A')
   || setweight(to_tsvector('indonesian', makers.names_ind), 'B')
   || setweight(to_tsvector('english', makers.names_ind), 'B')
   || setweight(to_tsvector('english', makers.names_en), 'B')
   || setweight(to_tsvector('indonesian', plain.text_ind), 'C')
   || setweight(to_tsvector('english', plain.text_ind), 'C')
   || setweight(to_tsvector('english', plain.text_en), 'C')
   || setweight(to_tsvector('indonesian', concat_ws(' ', label_name, ingredients_ind)), 'D')
   || setweight(to_tsvector('english', coalesce(ingredients_en, '')), 'D')
  FROM (
      SELECT
        concat_ws(' ',
          (SELECT string_agg(c.name_ind, ' ')
             FROM catalogue_productcategory pc
             JOIN catalogue_category c ON c.id = pc.category_id
            WHERE pc.product_id = $1),
          (SELECT concat_ws(' ', w.name_ind, p.name)
             FROM production_link_workshop w
             JOIN partner_partner p ON p.id = w.lapas_id
            WHERE w.id = $9)
        ) AS names_ind,
        concat_ws(' ',
          (SELECT string_agg(c.name_en, ' ')
             FROM catalogue_productcategory pc
             JOIN catalogue_category c ON c.id = pc.category_id
            WHERE pc.product_id = $1),
          (SELECT w.name_en FROM production_link_workshop w WHERE w.id = $9)
        ) AS names_en
  ) AS makers,
  (SELECT regexp_replace(coalesce(description_ind, ''), '<[^>]*>', ' ', 'g') AS text_ind,
          regexp_replace(coalesce(description_en, ''), '<[^>]*>', ' ', 'g') AS text_en) AS plain
$$;

CREATE OR REPLACE FUNCTION karya_product_search_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector := karya_product_search_vector_i18n(
      NEW.id, NEW.title_ind, NEW.title_en, NEW.description_ind, NEW.description_en,
      NEW.label_name, NEW.ingredients_ind, NEW.ingredients_en, NEW.workshop_id);
  RETURN NEW;
END $$;
"""

# The English trigram index covers what an English page shows as the title.
EN_TITLE = "coalesce(nullif(title_en, ''), title_ind)"

FORWARD = (
    VECTOR_FUNCTION,
    "DROP TRIGGER IF EXISTS catalogue_product_search ON catalogue_product",
    """CREATE TRIGGER catalogue_product_search
       BEFORE INSERT OR UPDATE OF title_ind, title_en, description_ind, description_en,
           label_name, ingredients_ind, ingredients_en, workshop_id, search_vector
       ON catalogue_product FOR EACH ROW EXECUTE FUNCTION karya_product_search_row()""",
    "DROP TRIGGER IF EXISTS catalogue_category_search_renamed ON catalogue_category",
    """CREATE TRIGGER catalogue_category_search_renamed
       AFTER UPDATE OF name_ind, name_en ON catalogue_category FOR EACH ROW
       WHEN (OLD.name_ind IS DISTINCT FROM NEW.name_ind
             OR OLD.name_en IS DISTINCT FROM NEW.name_en)
       EXECUTE FUNCTION karya_search_maker_renamed()""",
    "DROP TRIGGER IF EXISTS production_link_workshop_search_renamed ON production_link_workshop",
    """CREATE TRIGGER production_link_workshop_search_renamed
       AFTER UPDATE OF name_ind, name_en, lapas_id ON production_link_workshop FOR EACH ROW
       WHEN (OLD.name_ind IS DISTINCT FROM NEW.name_ind
             OR OLD.name_en IS DISTINCT FROM NEW.name_en
             OR OLD.lapas_id IS DISTINCT FROM NEW.lapas_id)
       EXECUTE FUNCTION karya_search_maker_renamed()""",
    "DROP FUNCTION IF EXISTS karya_product_search_vector(integer, text, text, text, text, integer)",
    "UPDATE catalogue_product SET search_vector = NULL",
    "DROP INDEX IF EXISTS catalogue_product_title_trgm",
    """CREATE INDEX catalogue_product_title_ind_trgm ON catalogue_product
       USING gin (title_ind gin_trgm_ops)""",
    f"""CREATE INDEX catalogue_product_title_en_trgm ON catalogue_product
       USING gin (({EN_TITLE}) gin_trgm_ops)""",
)

BACKWARD = (
    before.VECTOR_FUNCTION,
    "DROP TRIGGER IF EXISTS catalogue_product_search ON catalogue_product",
    before.FORWARD[2],
    "DROP TRIGGER IF EXISTS catalogue_category_search_renamed ON catalogue_category",
    before.FORWARD[6],
    "DROP TRIGGER IF EXISTS production_link_workshop_search_renamed ON production_link_workshop",
    before.FORWARD[7],
    "DROP FUNCTION IF EXISTS karya_product_search_vector_i18n("
    "integer, text, text, text, text, text, text, text, integer)",
    "UPDATE catalogue_product SET search_vector = NULL",
    "DROP INDEX IF EXISTS catalogue_product_title_ind_trgm",
    "DROP INDEX IF EXISTS catalogue_product_title_en_trgm",
    before.FORWARD[-1],
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
        ("catalogue", "0037_catalogue_translations"),
        ("production_link", "0006_workshop_translations"),
    ]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
