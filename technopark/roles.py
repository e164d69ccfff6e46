"""Staff roles: Django groups whose permissions are granted by migrations.

Each app grants its own permissions to the roles in a data migration that calls
:func:`grant`, so a role has exactly the permissions its work needs and no more.
"""

from django.utils.translation import gettext_lazy as _

PROGRAMME_COORDINATOR = "Programme coordinator"
INCUBATOR_MANAGER = "Incubator manager"
REVIEWER = "Reviewer"
FABLAB_MANAGER = "FabLab manager"
EDITOR = "Editor"
# Opens the people (user accounts) in the admin; nobody else but superusers does.
PEOPLE_ADMINISTRATOR = "People administrator"

ROLES = {
    PROGRAMME_COORDINATOR: _("Programme coordinator"),
    INCUBATOR_MANAGER: _("Incubator manager"),
    REVIEWER: _("Reviewer"),
    FABLAB_MANAGER: _("FabLab manager"),
    EDITOR: _("Editor"),
    PEOPLE_ADMINISTRATOR: _("People administrator"),
}


def grant(apps, app_label: str, role_permissions: dict[str, list[str]]) -> None:
    """Create the app's permissions now (they normally appear after migrate) and
    give each role the listed codenames of that app. For use inside RunPython."""
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    models_module = getattr(app_config, "models_module", None)  # AppConfigStub (migrations) has none
    app_config.models_module = True  # create_permissions skips apps without a models module
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in role_permissions.items():
        group, _created = Group.objects.get_or_create(name=role)
        perms = list(Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
        missing = set(codenames) - {p.codename for p in perms}
        if missing:
            raise LookupError(f"Unknown permissions for {app_label}: {sorted(missing)}")
        group.permissions.add(*perms)


def revoke(apps, app_label: str, role_permissions: dict[str, list[str]]) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in role_permissions.items():
        group = Group.objects.filter(name=role).first()
        if group:
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
            )


def ensure_roles() -> None:
    """Apply every app's ``*_roles`` data migration again (idempotent) with the real models,
    and the ``PERMISSIONS`` of any other migration that grants with :func:`grant`.

    A transactional test empties the database when it ends, groups included; the test
    suite calls this so each test starts with the roles the migrations create.
    """
    import importlib
    import pkgutil

    from django.apps import apps as global_apps
    from django.contrib.auth.models import Group

    if Group.objects.filter(name__in=ROLES).count() == len(ROLES):
        return
    for app_config in global_apps.get_app_configs():
        try:
            package = importlib.import_module(f"{app_config.name}.migrations")
        except ImportError:
            continue
        for info in pkgutil.iter_modules(package.__path__):
            if info.name.endswith("_roles"):
                importlib.import_module(f"{package.__name__}.{info.name}").forwards(global_apps, None)
            elif info.name[:4].isdigit():
                # a migration that creates models and grants their permissions in the same file
                module = importlib.import_module(f"{package.__name__}.{info.name}")
                if getattr(module, "grant", None) is grant and isinstance(getattr(module, "PERMISSIONS", None), dict):
                    grant(global_apps, app_config.label, module.PERMISSIONS)
