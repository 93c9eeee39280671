"""The package as a user gets it: import cost, installed data, the command line."""

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KINDS = sorted(p.name.removesuffix(".schema.json") for p in (ROOT / "charts" / "schemas").iterdir())


def _data_files(folder: Path) -> list[str]:
    """Every file under a data folder (charts/ or an installed bsa/_data), relative to it."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts)


def _run_elsewhere(code: str, cwd: Path, pythonpath: Path | None = None):
    """Run ``code`` from ``cwd`` with only ``pythonpath`` (not the checkout) on the path."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=cwd, env=env)


def test_import_bsa_does_not_import_streamlit_or_pyplot():
    # nor Babel: it is needed only to read a language's messages from a checkout without
    # compiled catalogues, and only when that language is asked for
    code = ("import sys, bsa, bsa.cli; bsa.cli.build_parser(); bad = [m for m in ('streamlit', "
            "'matplotlib.pyplot', 'babel', 'matplotlib') if m in sys.modules]; print(bad); "
            "sys.exit(1 if bad else 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr


def test_installed_package_finds_its_chart_data(tmp_path):
    """Run from an empty folder, so the package is the installed one, not the checkout."""
    code = ("import bsa, bsa.data; print(bsa.__file__); print(bsa.data.data_dir()); "
            "print(bsa.estimate(['head'], 0).percent_bsa)")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=tmp_path, env=env)
    if out.returncode != 0 and "No module named 'bsa'" in out.stderr:
        pytest.fail("bsa is not installed in this environment: run `pip install .`")
    assert out.returncode == 0, out.stderr
    module_file, data_dir, total = out.stdout.split("\n")[:3]
    assert float(total) == 19.0
    if Path(module_file).resolve().is_relative_to(ROOT / "bsa"):
        pytest.skip("bsa is installed in editable mode here; CI installs it with `pip install .`")
    assert Path(data_dir).name == "_data"
    assert Path(data_dir).resolve() != (ROOT / "charts").resolve()
    assert Path(data_dir).resolve().parent == Path(module_file).resolve().parent
    # The data files and their schemas, as in charts/ (an installed copy of this version)
    installed = Path(module_file).resolve().parent
    if (installed / "data.py").read_bytes() != (ROOT / "bsa" / "data.py").read_bytes():
        pytest.skip("the installed bsa is another version than this checkout: "
                    "reinstall it with `pip install .`")
    assert _data_files(Path(data_dir)) == _data_files(ROOT / "charts")
    out = _run_elsewhere("import bsa.data; print(*(bsa.data.schema_path(k) for k in "
                         f"{KINDS!r}), sep='\\n')", tmp_path)
    assert out.returncode == 0, out.stderr
    assert [Path(p).parent for p in out.stdout.split()] == [Path(data_dir) / "schemas"] * len(KINDS)


def test_every_data_file_and_schema_is_package_data():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["bsa._data"]
    assert config["tool"]["setuptools"]["package-dir"]["bsa._data"] == "charts"
    # setuptools globs each pattern in the package's folder: '*' stays in one folder
    packaged = {f.relative_to(ROOT / "charts").as_posix()
                for p in patterns for f in (ROOT / "charts").glob(p)}
    assert "schemas/chart.schema.json" in packaged
    assert sorted(set(_data_files(ROOT / "charts")) - packaged) == []


def test_a_built_package_carries_its_data_and_schemas(tmp_path):
    """Lay the package out as `pip install .` does (setuptools' build_py, from a copy of the
    checkout) and read its data and schemas from there, away from the checkout."""
    pytest.importorskip("setuptools")
    src, lib, elsewhere = tmp_path / "src", tmp_path / "lib", tmp_path / "elsewhere"
    src.mkdir()
    elsewhere.mkdir()
    for name in ("bsa", "charts"):
        shutil.copytree(ROOT / name, src / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    build = subprocess.run([sys.executable, "-c", "from setuptools import setup; setup()",
                            "-q", "build_py", "--build-lib", str(lib)],
                           capture_output=True, text=True, cwd=src)
    assert build.returncode == 0, build.stderr
    assert _data_files(lib / "bsa" / "_data") == _data_files(ROOT / "charts")
    code = ("import json, bsa, bsa.data; print(bsa.data.data_dir()); "
            f"print(*(bsa.data.schema_path(k) for k in {KINDS!r}), sep='\\n'); "
            "json.loads(bsa.data.schema_path('chart').read_text()); "
            "print(bsa.estimate(['head'], 0).percent_bsa)")
    out = _run_elsewhere(code, elsewhere, pythonpath=lib)
    assert out.returncode == 0, out.stderr
    data_dir, *schemas, total = out.stdout.split()
    assert Path(data_dir) == lib / "bsa" / "_data"
    assert schemas == [str(lib / "bsa" / "_data" / "schemas" / f"{k}.schema.json") for k in KINDS]
    assert float(total) == 19.0
