"""The shape of the code: the direction of dependencies between the apps (pyproject's
[tool.importlinter]), where shared HTML is cached, and how tangled a function may get.

search -> solutions -> cocreation -> projects -> ideas -> challenges -> cms -> portal:
an app may import the ones after it, never those before it, so each can be understood
and changed without the ones above.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

from radon.complexity import cc_rank, cc_visit

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "portal",
    "cms",
    "challenges",
    "ideas",
    "projects",
    "gains",
    "cocreation",
    "solutions",
    "search",
)
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(project / "pyproject.toml"), "--no-cache"],
        cwd=project,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_apps_depend_on_each_other_one_way_only():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_an_import_against_the_direction_is_caught(tmp_path):
    # A copy of the apps' Python files, with ideas importing the search app above it.
    for app in APPS:
        shutil.copytree(
            ROOT / app,
            tmp_path / app,
            ignore=lambda _dir, names: [
                n for n in names if not n.endswith(".py") and not (Path(_dir) / n).is_dir()
            ],
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    models = tmp_path / "ideas" / "models" / "ideas.py"
    models.write_text("import search.text  # noqa\n" + models.read_text())

    result = lint_imports(tmp_path)

    assert result.returncode != 0
    assert "ideas is not allowed to import search" in result.stdout
    assert "ideas.models.ideas -> search.text" in result.stdout


def _called_names(node: ast.AST) -> set[str]:
    names = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            func = call.func
            names.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


def test_selectors_return_data_and_html_is_cached_only_in_fragments():
    # A reader looking for where a piece of HTML is rendered once and shared, and under
    # which versions, finds it in the app's fragments.py: no function elsewhere both
    # renders a template and caches (portal.versions.cached / cached_html).
    offenders = []
    for app in APPS:
        for module in sorted((ROOT / app).rglob("*.py")):
            name = str(module.relative_to(ROOT))
            tree = ast.parse(module.read_text())
            if module.name.startswith("selectors") and "render_to_string" in _called_names(tree):
                offenders.append(f"{name} renders HTML")
            if module.name == "fragments.py" or name == "portal/versions.py":
                continue
            for function in ast.walk(tree):
                if isinstance(function, ast.FunctionDef):
                    called = _called_names(function)
                    if "render_to_string" in called and called & {"cached", "cached_html"}:
                        offenders.append(f"{name}: {function.name} caches rendered HTML")
    assert offenders == []


def _python_files(app: str):
    """The app's own code: not its migrations (generated), nor its demo seeders (long
    lists of sample content, read by no one for how the portal works)."""
    for module in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in module.parts or module.name.startswith("demo"):
            continue
        yield module


def test_no_function_is_too_tangled_to_follow():
    # radon's cyclomatic complexity, graded as `radon cc` grades it: A-B (up to 10
    # paths) is a function one can hold in one's head; from C on, split it into steps.
    too_complex = []
    for app in APPS:
        for module in _python_files(app):
            for block in cc_visit(module.read_text()):
                rank = cc_rank(block.complexity)
                if rank not in ("A", "B"):
                    name = block.fullname
                    where = f"{module.relative_to(ROOT)}:{block.lineno}"
                    too_complex.append(f"{where} {name}: {rank} ({block.complexity})")
    assert not too_complex, "Split these into steps:\n" + "\n".join(too_complex)
