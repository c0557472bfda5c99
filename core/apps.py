from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Platform"

    def ready(self):
        from .registry import AppAccess, registry
        from .roles import sync_role_groups_after_migrate

        registry.access(AppAccess("core"))
        post_migrate.connect(sync_role_groups_after_migrate, dispatch_uid="core.sync_roles")
