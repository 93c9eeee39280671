"""The one exception type the package raises for bad input."""

__all__ = ["BSAInputError"]


class BSAInputError(ValueError):
    """Input the package cannot use: an age, a fraction, a region, a chart, a file.

    A subclass of :class:`ValueError`, so ``except ValueError`` catches it too. The
    message names the problem and, where there is a short list of them, the valid values.
    """
