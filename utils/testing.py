"""Helpers for grade cells: silence expected noise, check raised errors, count lines, forbid shortcuts.

nbgrader gives zero points to a grade cell that writes anything to stderr, so calls that may warn
(numba performance notes, simulator notices, PyTorch deprecations) run inside ``quiet()``.
``forbidden(...)`` makes the shortcut an exercise replaces (``np.broadcast_to``, BLAS, ``torch``)
unavailable while the graded call runs, so that only the technique the exercise teaches scores.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, MutableMapping
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



def count_python_lines(func: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, int]:
    """Call ``func(*args, **kwargs)`` and count the Python lines it runs in its own module.

    Lines count in every frame whose global names are ``func``'s own (for a notebook function, the
    notebook's: the answer and the helpers it calls, not NumPy's or Python's library code), so a
    loop over n elements runs at least n lines while one NumPy call runs a handful. A callable
    without global names of its own (a ``functools.partial``, a builtin) counts in the caller's.

    Grade cells import it under a private name (``from utils.testing import count_python_lines as
    _count_lines``), so an answer cell that rebinds a global of that name changes nothing.

    Returns:
        ``(result, lines)``: what ``func`` returned and the number of lines run.
    """
    inner = inspect.unwrap(func) if callable(func) else func
    namespace = getattr(inner, "__globals__", None)
    if namespace is None:
        namespace = sys._getframe(1).f_globals
    lines = 0

    def local(frame, event, arg):  # noqa: ANN001, ANN202
        nonlocal lines
        if event == "line":
            lines += 1
        return local

    def tracer(frame, event, arg):  # noqa: ANN001, ANN202
        return local if frame.f_globals is namespace else None

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        result = func(*args, **kwargs)
    finally:
        sys.settrace(previous)
    return result, lines


def python_loop_result(kernel: Callable[..., Any], name: str, a: Any) -> Any:
    """``kernel.py_func(a)``, checked to run at least one Python line per element of ``a``.

    For exercises that ask for a Numba kernel written as loops over the elements: the plain-Python
    version of a loop runs a line per element, while ``a.sum()`` inside ``@njit`` runs one.

    Raises:
        AssertionError: ``kernel`` is not a Numba kernel (no ``py_func``), or ran fewer lines than
            ``a`` has elements.
    """
    assert hasattr(kernel, "py_func"), f"keep the @numba.njit decorator on {name}"
    got, lines = count_python_lines(kernel.py_func, a)
    size = getattr(a, "size", len(a))
    assert lines >= size, (
        f"{name}.py_func ran {lines} Python lines for the {size} elements of shape {getattr(a, 'shape', size)}; "
        "visit the elements one at a time in loops (no one-call reduction such as a.sum())"
    )
    return got


def assert_loop_kernel(
    kernel: Callable[..., Any], name: str, cases: Iterable[Any], expected: Callable[[Any], Any],
    rtol: float = 1e-10, atol: float = 1e-12,
) -> None:
    """Check a Numba loop kernel against ``expected(a)`` on each case: as plain Python, then compiled.

    The plain-Python run must visit the elements one at a time (``python_loop_result``); the
    compiled run must give the same values.
    """
    import numpy as np

    cases = list(cases)
    for a in cases:
        np.testing.assert_allclose(python_loop_result(kernel, name, a), expected(a), rtol=rtol, atol=atol,
                                   err_msg=f"{name}.py_func on shape {np.shape(a)}")
    with quiet():
        for a in cases:
            np.testing.assert_allclose(kernel(a), expected(a), rtol=rtol, atol=atol,
                                       err_msg=f"{name} on shape {np.shape(a)}")


class ForbiddenCall(AssertionError):
    """Raised by a callable that ``forbidden`` switched off for the duration of a graded call."""


_MISSING = object()


def _resolve(target: str | tuple[Any, str]) -> tuple[Any, str, str] | None:
    """``(owner, attribute, dotted name)`` of a target, or None when its module is not loaded.

    A dotted name is split at the longest prefix that names a module already imported (so
    ``"numpy.lib.stride_tricks.broadcast_to"`` and ``"torch.Tensor.expand"`` both work); a name whose
    top-level package has not been imported yet is skipped, since no code can have reached it.
    """
    if isinstance(target, tuple):
        owner, attribute = target
        label = getattr(owner, "__name__", type(owner).__name__)
        return owner, attribute, f"{label}.{attribute}"
    parts = target.split(".")
    if len(parts) < 2:
        raise ValueError(f"forbidden target {target!r}: expected a dotted name such as 'numpy.dot'")
    if parts[0] not in sys.modules:
        return None
    for cut in range(len(parts) - 1, 0, -1):
        module_name = ".".join(parts[:cut])
        try:
            owner = importlib.import_module(module_name)
        except ImportError:
            continue
        for part in parts[cut:-1]:
            owner = getattr(owner, part, _MISSING)
            if owner is _MISSING:
                return None
        return owner, parts[-1], target
    return None


@contextlib.contextmanager
def forbidden(
    *targets: str | tuple[Any, str],
    namespace: MutableMapping[str, Any] | None = None,
    reason: str = "",
) -> Iterator[None]:
    """Switch callables off inside the block: calling one raises ``ForbiddenCall`` naming it.

    Use it around the graded call of an exercise whose text names a technique, so that the
    shortcut it replaces cannot earn the points::

        with forbidden("numpy.broadcast_to", "numpy.broadcast_arrays", namespace=globals()):
            got = broadcast_to(a, shape)

    Everything is restored on exit, also when the block raises.

    Args:
        *targets: dotted names (``"numpy.dot"``, ``"torch.nn.functional.unfold"``,
            ``"torch.Tensor.expand"``) or ``(owner, attribute)`` pairs (``(np, "dot")``). A
            dotted name whose top-level package is not imported yet, or whose attribute does not
            exist (another library version), is skipped.
        namespace: a mapping such as the notebook's ``globals()``; any name in it bound to one of
            the forbidden objects (``from numpy import dot``) is switched off too.
        reason: appended to the error message, for example what to use instead.

    Raises:
        TypeError: a target's owner does not allow its attribute to be replaced (a built-in
            type such as ``numpy.ndarray``): forbid the function it calls instead.
    """
    patched: list[tuple[Any, str, Any, bool]] = []
    swapped: dict[str, Any] = {}
    replaced: dict[int, Callable[..., Any]] = {}
    try:
        for target in targets:
            resolved = _resolve(target)
            if resolved is None:
                continue
            owner, attribute, name = resolved
            original = getattr(owner, attribute, _MISSING)
            if original is _MISSING:
                continue
            own = attribute in getattr(owner, "__dict__", {})

            def refuse(*args: Any, _name: str = name, **kwargs: Any) -> Any:
                message = f"{_name} is not allowed in this exercise"
                raise ForbiddenCall(f"{message}: {reason}" if reason else message)

            try:
                setattr(owner, attribute, refuse)
            except (TypeError, AttributeError) as exc:
                raise TypeError(f"cannot forbid {name}: {exc}") from None
            patched.append((owner, attribute, original, own))
            replaced.setdefault(id(original), refuse)
        if namespace is not None:
            for key, value in list(namespace.items()):
                if id(value) in replaced and not key.startswith("__"):
                    swapped[key] = value
                    namespace[key] = replaced[id(value)]
        yield
    finally:
        for key, value in swapped.items():
            namespace[key] = value  # type: ignore[index]
        for owner, attribute, original, own in reversed(patched):
            if own or isinstance(owner, type(sys)):
                setattr(owner, attribute, original)
            else:
                delattr(owner, attribute)
