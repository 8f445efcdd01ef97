"""The dependency rule (README "Architecture") holds: `.importlinter`'s contracts, run by import-linter.

Apps depend downward only (evaluation → disclosure → sites → core), a lower app is used through its
services and selectors, each app's rooms import downward (interfaces → jobs → services → selectors
and rules → models → enums), and no module imports another that imports it back.
"""
import pathlib
import subprocess
import sys
import textwrap

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _lint(cwd, config=".importlinter"):
    return subprocess.run(
        [sys.executable, "-c", "import sys; sys.path.insert(0, '.'); from importlinter.cli import lint_imports; "
         f"sys.exit(lint_imports(config_filename={config!r}, no_cache=True))"],
        cwd=cwd, capture_output=True, text=True, timeout=120,
    )


def test_the_project_keeps_every_import_contract():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken." in result.stdout


def test_a_circle_breaks_the_contract(tmp_path):
    """The contract run above can fail: a package whose services and selectors import each other."""
    package = tmp_path / "app"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "selectors.py").write_text("from app import services\n")
    (package / "services.py").write_text("from app import selectors\n")
    (tmp_path / ".importlinter").write_text(textwrap.dedent("""
        [importlinter]
        root_package = app

        [importlinter:contract:no-circles]
        name = No import circle anywhere
        type = acyclic_siblings
        ancestors =
            app
    """))
    result = _lint(tmp_path)
    assert result.returncode == 1
    assert "No import circle anywhere BROKEN" in result.stdout
