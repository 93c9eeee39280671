"""Renamed keyword arguments: the old name keeps working, with a warning.

One name per input: a function's argument for the patient's age is ``age`` (in years), while
a stored field of a record or a file keeps ``age_years`` (:class:`~bsa.records.assessment.Assessment`,
:class:`~bsa.core.estimation.Estimate`, session files, CSV columns). The public functions
that used to take ``age_years=`` accept it still, through :func:`renamed_argument`.

Examples
--------
>>> import warnings
>>> @renamed_argument("age_years", "age")
... def older(age):
...     return age + 1
>>> older(age=3)
4
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     older(age_years=3)
4
>>> print(caught[0].message)
older(): the keyword `age_years` is deprecated, use `age` (deprecated since bsa 0.2)
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable
from typing import Any, TypeVar, cast

from .errors import BSAInputError

__all__ = ["renamed_argument"]

F = TypeVar("F", bound=Callable[..., Any])


def renamed_argument(old: str, new: str, since: str = "0.2") -> Callable[[F], F]:
    """Let a function's renamed argument still be given by its old keyword.

    Parameters
    ----------
    old : str
        The keyword the argument had (``"age_years"``).
    new : str
        Its name now (``"age"``): a parameter of the decorated function. Its place among
        the positional arguments does not change.
    since : str, optional
        The version of bsa from which ``old`` is deprecated.

    Returns
    -------
    callable
        A decorator. The decorated function takes ``old=value`` as ``new=value`` with a
        :class:`DeprecationWarning` (pointing at the caller); given both ``old`` and
        ``new`` (by keyword or by position), it raises
        :class:`~bsa.errors.BSAInputError` naming both.

    Raises
    ------
    TypeError
        When the function has no parameter ``new``, or still has one named ``old``.
    """

    def decorate(func: F) -> F:
        params = list(inspect.signature(func).parameters.values())
        names = [p.name for p in params]
        if new not in names or old in names:
            raise TypeError(f"{func.__qualname__} must take {new!r} and not {old!r}")
        param = params[names.index(new)]
        # Given positionally when there are more positional arguments than its index.
        position = (names.index(new) if param.kind in (inspect.Parameter.POSITIONAL_ONLY,
                                                       inspect.Parameter.POSITIONAL_OR_KEYWORD)
                    else None)
        name = f"{func.__qualname__}()"

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if old in kwargs:
                if new in kwargs or (position is not None and len(args) > position):
                    raise BSAInputError(
                        f"{name}: got both `{old}` and `{new}`; `{old}` is deprecated, "
                        f"give only `{new}`")
                warnings.warn(
                    f"{name}: the keyword `{old}` is deprecated, use `{new}` "
                    f"(deprecated since bsa {since})", DeprecationWarning, stacklevel=2)
                kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)

        return cast(F, wrapper)

    return decorate
