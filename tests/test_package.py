"""convlib's shape: every public name loads, the numbers load no pictures, and no
package reaches into another's private helpers."""

import ast
import importlib
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import convlib

PACKAGE = Path(convlib.__file__).parent
NUMBERS = ("convlib.ops", "convlib.sizes", "convlib.data", "convlib.learn", "convlib.runtime",
           "convlib.selfcheck", "convlib.bench")
PICTURE_LIBRARIES = ("matplotlib", "ipywidgets", "IPython")


def _modules(package: str) -> list[str]:
    """``package`` and every module under it."""
    module = importlib.import_module(package)
    if not hasattr(module, "__path__"):
        return [package]
    return [package] + [m.name for m in pkgutil.walk_packages(module.__path__, f"{package}.")]


def _loaded_after(statement: str) -> set[str]:
    """Which of the picture libraries a fresh interpreter holds after ``statement``."""
    probe = (f"import sys\n{statement}\n"
             f"print(' '.join(m for m in {PICTURE_LIBRARIES!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True)
    return set(out.stdout.split())


@pytest.mark.parametrize("name", convlib.__all__)
def test_every_public_name_loads(name):
    assert getattr(convlib, name) is not None
    assert name in dir(convlib)


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'conv4d'"):
        convlib.conv4d  # noqa: B018


def test_public_names_are_unique_and_documented():
    for name in convlib.__all__:
        value = getattr(convlib, name)
        if callable(value):
            assert value.__doc__, f"convlib.{name} has no docstring"


@pytest.mark.parametrize("package", NUMBERS)
def test_numbers_load_no_picture_library(package):
    statement = "\n".join(f"import {m}" for m in _modules(package))
    assert _loaded_after(statement) == set()


def test_import_convlib_loads_no_picture_library():
    assert _loaded_after("import convlib") == set()
    assert _loaded_after("import convlib as cl; cl.conv2d; cl.receptive_field; cl.mnist; "
                         "cl.train; cl.check") == set()


def test_drawing_applies_the_book_style():
    probe = ("import matplotlib as mpl; before = mpl.rcParams['animation.embed_limit']; "
             "import convlib as cl; cl.draw_grid; "
             "print(before, mpl.rcParams['animation.embed_limit'])")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True)
    assert out.stdout.split() == ["20.0", "40.0"]


def _private_imports(path: Path) -> list[str]:
    """``from X import _name`` where X is another of convlib's packages."""
    here = path.relative_to(PACKAGE).parts[0] if len(path.relative_to(PACKAGE).parts) > 1 \
        else ""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.ImportFrom) or not node.level:
            continue
        same_package = node.level == 1 and len(path.relative_to(PACKAGE).parts) > 1
        if same_package:
            continue
        for alias in node.names:
            if alias.name.startswith("_"):
                found.append(f"{path.relative_to(PACKAGE)} ({here or 'top'}): "
                             f"from {'.' * node.level}{node.module} import {alias.name}")
    return found


def test_no_package_reaches_into_another_packages_private_helpers():
    found = [hit for path in sorted(PACKAGE.rglob("*.py")) for hit in _private_imports(path)]
    assert found == []


def test_every_subpackage_says_what_lives_there():
    for sub in sorted(p for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()):
        module = importlib.import_module(f"convlib.{sub.name}")
        assert module.__doc__ and len(module.__doc__.strip()) > 40, sub.name


def test_no_figure_text_under_nine_points():
    """Figure text is at least 9 points: 10 pixels at the book's figure.dpi."""
    small = re.compile(r"fontsize\s*[=:]\s*(?:float\s*=\s*)?([0-9.]+)")
    found = [f"{path.name}: {m.group(0)}" for path in sorted((PACKAGE / "draw").glob("*.py"))
             for m in small.finditer(path.read_text()) if float(m.group(1)) < 9]
    assert found == []
