"""The package as a user gets it: import cost, installed data, the command line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_import_bsa_does_not_import_streamlit_or_pyplot():
    code = ("import sys, bsa, bsa.cli; bsa.cli.build_parser(); bad = [m for m in ('streamlit', 'matplotlib.pyplot') "
            "if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
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
