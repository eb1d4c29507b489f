"""Tests of the repository itself: rules the code and docs must keep as they grow."""

import ast
import json
import re
import tomllib
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

# Packages that must run without Django (analysts use them from the command line and
# notebooks), and the imports that would break that.
PURE_PACKAGES = [
    "mhsip/spc",
    "mhsip/charts",
    "mhsip/measures",
    "mhsip/equity",
    "mhsip/comparison",
    "mhsip/tabular",
    "mhsip/mhsds",
]
FORBIDDEN_IN_PURE = ("django", "mhsip.config", "mhsip.web", "mhsip.incidents", "mhsip.patients")


def imported_modules(path: Path) -> list[str]:
    """Every absolute module name that a Python file imports, at any depth in the file."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def is_forbidden(module: str) -> bool:
    return any(module == name or module.startswith(f"{name}.") for name in FORBIDDEN_IN_PURE)


def test_is_forbidden_matches_packages_not_prefixes():
    assert is_forbidden("django")
    assert is_forbidden("django.db.models")
    assert is_forbidden("mhsip.web.views")
    assert not is_forbidden("djangorestish")
    assert not is_forbidden("numpy")


@pytest.mark.parametrize("package", PURE_PACKAGES)
def test_pure_package_does_not_import_django(package):
    root = REPO_ROOT / package
    files = sorted(root.rglob("*.py"))
    if not files:
        pytest.skip(f"{package} has no Python files yet")

    offences = [
        f"{path.relative_to(REPO_ROOT)} imports {module}"
        for path in files
        for module in imported_modules(path)
        if is_forbidden(module)
    ]

    assert offences == []


def test_readme_gives_the_two_commands():
    readme = (REPO_ROOT / "README.md").read_text()

    assert "make run" in readme
    assert "make test" in readme


def test_ci_runs_the_tests():
    script = (REPO_ROOT / ".ci" / "run").read_text()

    assert re.search(r"^\s*make test\s*$", script, re.MULTILINE)
    assert re.search(r"^\s*make test-postgres\s*$", script, re.MULTILINE)


def dependency_names(requirements: list[str]) -> list[str]:
    return [re.match(r"[A-Za-z0-9_.-]+", requirement).group(0) for requirement in requirements]


def all_dependencies() -> list[str]:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    extras = project.get("optional-dependencies", {})
    return dependency_names(project["dependencies"] + [d for ds in extras.values() for d in ds])


def test_every_python_dependency_has_a_why_comment():
    lines = (REPO_ROOT / "pyproject.toml").read_text().splitlines()

    uncommented = []
    for name in all_dependencies():
        index = next(i for i, line in enumerate(lines) if line.strip().startswith(f'"{name}'))
        if not lines[index - 1].strip().startswith("#"):
            uncommented.append(name)

    assert uncommented == []


def test_readme_lists_every_dependency():
    readme = (REPO_ROOT / "README.md").read_text().lower()
    npm_packages = json.loads((REPO_ROOT / "package.json").read_text())
    names = all_dependencies() + [
        name
        for section in ("dependencies", "devDependencies")
        for name in npm_packages.get(section, {})
    ]

    missing = [name for name in names if f"`{name.lower()}`" not in readme]

    assert missing == []
