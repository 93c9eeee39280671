"""The subcommands of ``python -m bsa``.

Each module here defines ``register(subparsers)``, which adds its parser and sets
``run=<function(args) -> int>`` as a default; :mod:`bsa.cli` finds them all.
"""
