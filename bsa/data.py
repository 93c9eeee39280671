"""Where the chart data lives, and reading it.

The data files sit in the project's top-level ``charts/`` folder. An installed package
carries the same files inside itself as ``bsa/_data`` (see ``pyproject.toml``), so the
installed package and a checkout read identical data.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from .errors import BSAInputError

__all__ = ["data_dir", "data_path", "load_json"]


@lru_cache(maxsize=1)
def data_dir() -> Path:
    """Return the folder holding the chart data files."""
    installed = Path(__file__).resolve().parent / "_data"
    if installed.is_dir():
        return installed
    checkout = Path(__file__).resolve().parent.parent / "charts"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(
        f"chart data not found: looked in {installed} and {checkout}; "
        "reinstall the package with `pip install .`"
    )


def data_path(name: str) -> Path:
    """Return the path of the data file ``name`` (for example ``"lund_browder_1944.json"``)."""
    path = data_dir() / name
    if not path.is_file():
        raise BSAInputError(f"no chart data file named {name!r} in {data_dir()}")
    return path


@cache
def load_json(name: str) -> Any:
    """Parse the JSON data file ``name``; cached, so treat the result as read-only."""
    with data_path(name).open(encoding="utf-8") as f:
        return json.load(f)
