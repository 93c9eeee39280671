"""The package build: setuptools, plus one step that compiles the message catalogues.

Everything else is in ``pyproject.toml``. ``build_py`` also compiles each language's
``bsa/locale/<lang>/LC_MESSAGES/bsa.po`` into a ``bsa.mo`` beside it in the built package,
with Babel (a build requirement, ``[build-system] requires``). The compiled catalogues are
never committed (``*.mo`` is in ``.gitignore``); a checkout without them compiles the ``.po``
in memory when a language other than English is asked for (:mod:`bsa.i18n`).
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogues(build_py):
    """``build_py`` that also writes ``bsa/locale/*/LC_MESSAGES/bsa.mo`` into the build."""

    def run(self):
        super().run()
        from io import BytesIO

        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        root = Path(__file__).resolve().parent
        for po in sorted((root / "bsa" / "locale").glob("*/LC_MESSAGES/bsa.po")):
            with po.open("rb") as f:
                catalogue = read_po(f, domain="bsa")
            untranslated = [m.id for m in catalogue if m.id and not m.string]
            if untranslated:
                raise SystemExit(f"{po}: {len(untranslated)} messages are not translated "
                                 "(run tools/update_catalogue.py and translate them)")
            out = BytesIO()
            write_mo(out, catalogue, use_fuzzy=False)
            target = Path(self.build_lib) / po.relative_to(root).with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(out.getvalue())


setup(cmdclass={"build_py": BuildWithCatalogues})
