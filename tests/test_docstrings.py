"""The examples in the docstrings run and give what they show."""

import doctest
import importlib

import pytest

MODULES = ["bsa", "bsa.checks", "bsa.text", "bsa.files", "bsa.records.history", "bsa.core.regions", "bsa.core.chart_range", "bsa.core.charts", "bsa.core.estimation", "bsa.core.palm_method",
           "bsa.core.body_surface", "bsa.treatment.label_rules", "bsa.treatment.rule_model", "bsa.treatment.rule_library", "bsa.treatment.area_check", "bsa.treatment.cream_amount", "bsa.treatment.skin_scores",
           "bsa.treatment.thresholds", "bsa.diagram.geometry", "bsa.diagram.pixels", "bsa.diagram.svg", "bsa.diagram.polygons", "bsa.diagram.masks", "bsa.diagram.picture",
           "bsa.records.session", "bsa.records.assessment", "bsa.records.pseudonym", "bsa.records.history_schema", "bsa.records.layers", "bsa.treatment.plan", "bsa.report.layout", "bsa.report.content", "bsa.evaluation",
           "bsa.treatment.limits", "bsa.core.body_shape", "bsa.total_range", "bsa.frames",
           "bsa.fhir", "bsa.commands._numbers", "bsa.i18n", "bsa.fonts", "bsa._catalogue", "bsa._renamed"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
