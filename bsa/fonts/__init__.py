"""The fonts the printed pictures are drawn with, shipped with the package.

matplotlib's own font, DejaVu Sans, has no Bengali letters, and a user's computer may have
no Bengali font at all: the application map and the chart picture would print empty boxes.
So the package carries Noto Sans Bengali (version 2.001, regular and bold, from Debian's
``fonts-noto-core``), under the SIL Open Font License 1.1 (``OFL.txt`` in this folder, with
the copyright line), and registers it with matplotlib when it draws (:func:`register`).

Text is drawn in :data:`FAMILY`: DejaVu Sans first, then Noto Sans Bengali for every
character DejaVu Sans lacks (matplotlib's font fallback, 3.6 and later). English and numbers
look as they always did; Bengali letters come from the Noto font, shaped by matplotlib's
text layout (conjuncts such as ক্ষ, ত্র, শ্রী, the reph and the vowel signs written before
a consonant, as in প্রয়োগ and বেশি).

Examples
--------
>>> from bsa.fonts import FAMILY, register
>>> register()[0].name
'NotoSansBengali-Regular.ttf'
>>> FAMILY
('DejaVu Sans', 'Noto Sans Bengali')
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["BENGALI_FAMILY", "FAMILY", "FONT_DIR", "FONT_FILES", "register"]

FONT_DIR = Path(__file__).resolve().parent
#: The font files shipped (regular and bold).
FONT_FILES: tuple[str, ...] = ("NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf")
#: The family name the Noto files register as.
BENGALI_FAMILY = "Noto Sans Bengali"
#: The font families text is drawn in, in order of preference per character.
FAMILY: tuple[str, ...] = ("DejaVu Sans", BENGALI_FAMILY)


@cache
def register() -> tuple[Path, ...]:
    """Add the shipped fonts to matplotlib's font manager (once per process).

    Returns
    -------
    tuple of Path
        The font files registered.
    """
    from matplotlib import font_manager

    paths = tuple(FONT_DIR / name for name in FONT_FILES)
    for path in paths:
        font_manager.fontManager.addfont(str(path))
    return paths
