"""``python -m bsa``: the command line (see :mod:`bsa.cli`)."""

import sys

from .cli import main

sys.exit(main())
