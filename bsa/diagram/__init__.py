"""The body diagram: where marks are drawn and counted.

The figures' geometry per age group (:mod:`.geometry`), the rasteriser that turns painted
pixels into each half's affected fraction (:mod:`.masks`), and the chart as a picture
(:mod:`.picture`, matplotlib imported lazily). A region's drawn size never sets its weight:
weights always come from :mod:`bsa.core.charts`.
"""
