"""The core (``technopark``) knows no domain app: the apps register what they add to its pages.

Every module of ``technopark/`` is parsed (not imported) and its imports are listed, including
imports inside functions. Only the composition root may name the apps: ``settings*.py``
(INSTALLED_APPS) and the root URLconf ``urls.py`` (which mounts each app's URLs). Migrations are
frozen history and are left out. ``notifications`` is a service every app, the core included,
sends its messages through; it is not a domain app.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

DOMAIN_APPS = {"programs", "incubator", "fablab", "impact"}
CORE = Path(settings.BASE_DIR) / "technopark"
COMPOSITION_ROOT = {"settings.py", "settings_test.py", "urls.py"}


def core_modules():
    return sorted(
        path
        for path in CORE.rglob("*.py")
        if "migrations" not in path.relative_to(CORE).parts and path.name not in COMPOSITION_ROOT
    )


def _called_name(node: ast.Call) -> str:
    return getattr(node.func, "id", getattr(node.func, "attr", ""))


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Call) and _called_name(node) in {"import_module", "__import__"}:
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.add(first.value)
    return names


def test_the_scan_sees_imports_inside_functions_and_import_module(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\nfrom programs.models import Course\n"
        "def f():\n    from fablab import selectors\n    import_module('impact.selectors')\n"
    )
    assert imported_modules(sample) == {"os", "programs.models", "fablab", "impact.selectors"}


@pytest.mark.parametrize("path", core_modules(), ids=lambda p: str(p.relative_to(CORE)))
def test_core_module_imports_no_domain_app(path):
    offending = sorted(name for name in imported_modules(path) if name.split(".")[0] in DOMAIN_APPS)
    assert offending == [], f"technopark/{path.relative_to(CORE)} imports {offending}"


def test_the_core_has_modules_to_check():
    names = {path.name for path in core_modules()}
    assert {"views.py", "search.py", "sitemaps.py", "registry.py"} <= names


@pytest.mark.django_db
def test_every_app_registered_its_parts():
    from technopark import registry

    assert [panel.key for panel in registry.dashboard_panels()] == ["notifications", "programs", "incubator", "fablab"]
    assert {kind.key for kind in registry.search_kinds()} == {"news", "courses", "startups", "equipment", "solutions"}
    assert set(registry.sitemaps()) == {
        "directions",
        "courses",
        "startups",
        "investor-days",
        "equipment",
        "funding-projects",
        "solutions",
    }
    assert [step.key for step in registry.seed_steps()] == ["technopark", "programs", "incubator", "fablab"]
    for name in registry.static_page_names():
        assert reverse(name)


@pytest.mark.django_db
def test_one_public_rule_per_app_serves_its_pages_search_and_sitemap(client):
    """A retired machine is not public: not in the catalogue, its page is 404, search and the
    sitemap do not list it, and a machine under maintenance is still public everywhere."""
    from tests.fablab.factories import EquipmentFactory

    EquipmentFactory(name_en="Retired lathe", name_uz="Eski tokarlik", slug="old-lathe", status="retired")
    EquipmentFactory(name_en="Resting lathe", name_uz="Dam olayotgan", slug="rest-lathe", status="maintenance")
    catalogue = client.get("/en/fablab/").content.decode()
    assert "Resting lathe" in catalogue and "Retired lathe" not in catalogue
    assert client.get("/en/fablab/equipment/old-lathe/").status_code == 404
    assert client.get("/en/fablab/equipment/rest-lathe/").status_code == 200
    found = [r.title for r in client.get("/en/search/", {"q": "lathe"}).context["results"]]
    assert found == ["Resting lathe"]
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/fablab/equipment/rest-lathe/" in sitemap and "old-lathe" not in sitemap
