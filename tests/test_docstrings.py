"""The examples in the docstrings run and give what they show."""

import doctest
import importlib

import pytest

MODULES = ["bsa", "bsa.regions", "bsa.charts", "bsa.estimation", "bsa.palm_method",
           "bsa.body_surface", "bsa.label_rules", "bsa.cream_amount", "bsa.skin_scores",
           "bsa.thresholds", "bsa.body_diagram", "bsa.masks", "bsa.chart_picture",
           "bsa.session", "bsa.report"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
