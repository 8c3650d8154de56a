"""Helpers for grade cells: silence expected noise, check raised errors.

nbgrader gives zero points to a grade cell that writes anything to stderr, so calls that may warn
(numba performance notes, simulator notices, PyTorch deprecations) run inside ``quiet()``.
"""

from __future__ import annotations

import contextlib
import io
import sys
import warnings
from collections.abc import Callable, Iterator
from typing import Any


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Silence Python warnings and anything written to ``sys.stderr`` inside the block.

    Errors still propagate: only noise is dropped, never a failure.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with contextlib.redirect_stderr(io.StringIO()):
            yield


def warnings_to_stdout() -> None:
    """Show Python warnings on standard output from now on, instead of standard error.

    nbgrader scores any stderr output of a grade cell as zero, so a correct answer whose own code
    warns (a ``UserWarning``, a deprecation) would lose the cell. The course set-up cell calls this
    once per kernel; a failing check still costs the cell, because it raises.
    """

    def show(message, category, filename, lineno, file=None, line=None) -> None:  # noqa: ANN001
        sys.stdout.write(warnings.formatwarning(message, category, filename, lineno, line))

    warnings.showwarning = show


def assert_raises(
    exc_type: type[BaseException] | tuple[type[BaseException], ...],
    func: Callable[..., Any],
    *args: Any,
    match: str | None = None,
    **kwargs: Any,
) -> BaseException:
    """Assert that ``func(*args, **kwargs)`` raises ``exc_type``.

    Args:
        exc_type: the exception class (or tuple of classes) expected.
        func: the callable under test.
        *args: positional arguments for ``func``.
        match: if given, a substring the exception message must contain.
        **kwargs: keyword arguments for ``func``.

    Returns:
        The exception raised, for further checks.

    Raises:
        AssertionError: nothing was raised, another exception was raised, or the message does
            not contain ``match``.
    """
    name = getattr(func, "__name__", repr(func))
    expected = getattr(exc_type, "__name__", None) or " or ".join(e.__name__ for e in exc_type)
    try:
        with quiet():
            func(*args, **kwargs)
    except exc_type as exc:
        if match is not None and match not in str(exc):
            raise AssertionError(
                f"{name} raised {type(exc).__name__}({str(exc)!r}); "
                f"expected the message to mention {match!r}"
            ) from None
        return exc
    except NotImplementedError:
        raise AssertionError(f"{name} is not implemented yet") from None
    except Exception as exc:  # noqa: BLE001 - the point is to report what was raised instead
        raise AssertionError(
            f"{name} raised {type(exc).__name__}({exc}); expected {expected}"
        ) from None
    raise AssertionError(f"{name} returned normally; expected it to raise {expected}")

