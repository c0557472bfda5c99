"""Migration steps for models that moved out of the old `commissioning` app into core, plans and reports.

Their tables keep their names. A database made before the move already has them (and content types
labelled `commissioning`); a new database has neither. So the new apps' first migrations record the
models in the migration state only, then create whichever tables are missing and move the content
types (and with them the permissions and the roles' grants) to the new app label.
"""

from django.db import migrations

OLD_APP_LABEL = "commissioning"


def _create_missing_tables(app_label: str, model_names: list[str]):
    def forwards(apps, schema_editor):
        existing = set(schema_editor.connection.introspection.table_names())
        for name in model_names:  # in dependency order: a table is made after the tables it refers to
            model = apps.get_model(app_label, name)
            if model._meta.db_table not in existing:
                schema_editor.create_model(model)

    return forwards


def _relabel_content_types(app_label: str, model_names: list[str]):
    def forwards(apps, schema_editor):
        content_type = apps.get_model("contenttypes", "ContentType")
        names = [n.lower() for n in model_names]
        taken = set(content_type.objects.filter(app_label=app_label, model__in=names).values_list("model", flat=True))
        content_type.objects.filter(app_label=OLD_APP_LABEL, model__in=set(names) - taken).update(app_label=app_label)

    return forwards


def adopt_models(app_label: str, model_names: list[str], state_operations: list) -> list:
    """The operations of a first migration that adopts models (and tables) from the old app."""
    return [
        migrations.SeparateDatabaseAndState(state_operations=state_operations),
        migrations.RunPython(_create_missing_tables(app_label, model_names), migrations.RunPython.noop),
        migrations.RunPython(_relabel_content_types(app_label, model_names), migrations.RunPython.noop),
    ]
