from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommissioningConfig(AppConfig):
    name = "commissioning"
    verbose_name = "Commissioning: strategies, actions and reports"

    def ready(self):
        from .roles import sync_role_groups_after_migrate

        post_migrate.connect(sync_role_groups_after_migrate, dispatch_uid="commissioning.sync_roles")
