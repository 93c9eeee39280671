"""Where the chart data lives, and the one way of reading it.

The data files sit in the project's top-level ``charts/`` folder. An installed package
carries the same files inside itself as ``bsa/_data`` (see ``pyproject.toml``), so the
installed package and a checkout read identical data.

Every data file is a JSON object with a top-level ``"schema_version"`` (an integer). The
module that reads a kind of file says, in its own ``SCHEMA_VERSION``, which version it
reads; :func:`load_data` (a shipped file) and :func:`read_data_file` (a file given by a
user, such as a chart or a body diagram of their own) refuse any other. The format of each
kind is documented by its JSON Schema in ``charts/schemas/`` (:func:`schema_path`); the
tests validate every shipped file against it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from .errors import BSAInputError

__all__ = ["data_dir", "data_path", "load_data", "read_data_file", "schema_path"]


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


def schema_path(kind: str) -> Path:
    """Return the path of the JSON Schema of a kind of data file (``"chart"``, ...).

    The schemas are the format's documentation; the package does not validate against
    them when it reads a file (that needs ``jsonschema``, a test-only dependency).
    """
    return data_path(f"schemas/{kind}.schema.json")


def _check_version(doc: Any, where: str, schema_version: int) -> Mapping[str, Any]:
    if not isinstance(doc, Mapping):
        raise BSAInputError(f"{where}: the file must hold a JSON object")
    if "schema_version" not in doc:
        raise BSAInputError(f"{where} has no schema_version; this version of bsa reads "
                            f"schema version {schema_version}")
    found = doc["schema_version"]
    if type(found) is not int or found != schema_version:  # True == 1, but not a version
        raise BSAInputError(f"{where} has schema version {found!r}; this version of bsa "
                            f"reads schema version {schema_version}")
    return doc


def read_data_file(path: str | Path, schema_version: int, what: str = "data file") -> Any:
    """Read a JSON data file from a path and check its schema version.

    Parameters
    ----------
    path : str or Path
        The file, e.g. a chart a user made.
    schema_version : int
        The version the calling module reads (its ``SCHEMA_VERSION``).
    what : str, optional
        The kind of file in words, to start every message (``"chart file"``).

    Returns
    -------
    dict
        The parsed file (not cached).

    Raises
    ------
    BSAInputError
        Naming the file: not found, not readable as JSON, not a JSON object, or of another
        schema version (the message gives the version found and the version read).
    """
    path = Path(path)
    where = f"{what} {path.name}"
    try:
        with path.open(encoding="utf-8") as f:
            doc = json.load(f)
    except FileNotFoundError:
        raise BSAInputError(f"{where}: no such file: {path}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BSAInputError(f"{where}: cannot read it as JSON: {exc}") from None
    return _check_version(doc, where, schema_version)


@cache
def load_data(name: str, schema_version: int) -> Any:
    """Parse the shipped data file ``name``, refusing another schema version.

    Cached: every caller shares one parsed copy, so treat the result as read-only.

    Examples
    --------
    >>> load_data("palm_method.json", 1)["child_below_age_years"]
    14
    """
    return read_data_file(data_path(name), schema_version)
