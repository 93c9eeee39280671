"""The documentation: its code runs, and its pages are written from the data (the site
itself is built with ``mkdocs build --strict`` by .ci/run, after the tests).

The tutorial's and the scale guide's Python and shell blocks run here, in order, in a
temporary folder (a block starting with ``# not run`` is skipped: Spark). Set
``BSA_UPDATE_DOC_IMAGES=1`` to copy the tutorial's plot to ``docs/images``.
"""

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"^```(python|bash)\n(.*?)^```", re.S | re.M)


def blocks(page: str):
    return BLOCK.findall((ROOT / "docs" / page).read_text(encoding="utf-8"))


def run_page(page: str, folder: Path, monkeypatch) -> None:
    monkeypatch.chdir(folder)
    namespace: dict = {"__name__": "__doc_page__"}
    for kind, code in blocks(page):
        if code.startswith("# not run"):
            continue
        if kind == "bash":
            for line in code.strip().splitlines():
                argv = shlex.split(line)
                assert argv[:3] == ["python", "-m", "bsa"], line
                r = subprocess.run([sys.executable, *argv[1:]], capture_output=True, text=True)
                assert r.returncode == 0, r.stderr
            continue
        exec(compile(code, f"docs/{page}", "exec"), namespace)


def test_the_tutorial_runs(tmp_path, monkeypatch):
    pytest.importorskip("pandas")
    pytest.importorskip("narwhals")
    run_page("tutorial.md", tmp_path, monkeypatch)
    plot = tmp_path / "cohort_by_age.png"
    assert plot.read_bytes().startswith(b"\x89PNG")
    if os.environ.get("BSA_UPDATE_DOC_IMAGES"):
        shutil.copy(plot, ROOT / "docs" / "images" / "tutorial_by_age.png")


def test_the_scale_guide_runs(tmp_path, monkeypatch):
    pytest.importorskip("dask.dataframe")
    pytest.importorskip("distributed")
    run_page("scale.md", tmp_path, monkeypatch)
    assert list((tmp_path / "scored").glob("*.parquet"))


def test_the_spark_block_is_the_only_one_not_run():
    skipped = [code for _, code in blocks("scale.md") + blocks("tutorial.md")
               if code.startswith("# not run")]
    assert len(skipped) == 1 and "mapInPandas" in skipped[0]


def test_pages_written_from_the_data_name_every_source_and_code():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import mkdocs_hooks
    finally:
        sys.path.pop(0)
    import bsa
    import bsa.fhir

    sources = mkdocs_hooks.on_page_markdown("<!-- bsa:sources -->")
    for chart in bsa.available_charts():
        assert bsa.load_chart(chart).source["citation"].split(".")[0] in sources
    codes = mkdocs_hooks.on_page_markdown("<!-- bsa:fhir-codes -->")
    assert all(f"`{code}`" in codes for code in bsa.fhir.code_system_codes())
    schema = mkdocs_hooks.on_page_markdown("<!-- bsa:schema label_rules.schema.json -->")
    assert "| `rules` |" in schema and "### limit" in schema
