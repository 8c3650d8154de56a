"""Grade the technique, not a shortcut: make BLAS unavailable during a graded call, see pool threads.

A matrix-product exercise that asks for loops, tiles or a compiled kernel is worth nothing if
``A @ B`` earns the same points. ``no_blas()`` wraps the graded call: while it runs, code from the
notebook (any frame whose file is not part of Python, its packages or this course package) may
not use the ``@`` operator, nor name a matrix-product entry point (``np.matmul``, ``np.dot``,
``np.einsum``, ``np.tensordot``, ``x.dot``, ``torch``, ``scipy``'s BLAS, ...), nor call a Numba
kernel whose source does; the NumPy entry points themselves raise too. Opcode tracing only runs in
notebook frames, so library code is not slowed down.

``pool_threads()`` records which threads of a ``concurrent.futures`` thread pool ran work items
during a call, holding each item a little so that a pool really spreads its work.
"""

from __future__ import annotations

import contextlib
import dis
import os
import site
import sys
import threading
import time
import types
from collections.abc import Iterable, Iterator

import numpy as np

#: Names whose use in notebook code during the graded call counts as calling BLAS.
BLAS_NAMES = frozenset({
    "matmul", "dot", "vdot", "inner", "einsum", "tensordot", "multi_dot", "mm", "bmm", "addmm",
    "matrix_power", "linear", "gemm", "sgemm", "dgemm", "blas", "torch", "scipy",
})

_NUMPY_ENTRY_POINTS = (
    (np, "matmul"), (np, "dot"), (np, "vdot"), (np, "inner"), (np, "einsum"), (np, "tensordot"),
    (np.linalg, "multi_dot"), (np.linalg, "matmul"), (np.linalg, "matrix_power"),
)
_NAME_OPS = {"LOAD_GLOBAL", "LOAD_NAME", "LOAD_ATTR", "LOAD_METHOD", "IMPORT_NAME", "IMPORT_FROM",
             "LOAD_DEREF", "LOAD_CLASSDEREF"}
_LIBRARY_ROOTS = tuple(
    {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, *site.getsitepackages())}
    | {os.path.realpath(site.getusersitepackages()), os.path.dirname(os.path.realpath(__file__))}
)


class ShortcutError(AssertionError):
    """The graded call used something its exercise forbids."""


_NOTEBOOK_FILES: dict[str, bool] = {}


def _is_notebook_code(code: types.CodeType) -> bool:
    name = code.co_filename
    found = _NOTEBOOK_FILES.get(name)
    if found is None:
        if name.startswith(("<frozen", "<string>")):
            found = False
        else:
            path = os.path.realpath(name) if os.path.isabs(name) else name
            found = not path.startswith(_LIBRARY_ROOTS)
        _NOTEBOOK_FILES[name] = found
    return found


_INSTRUCTIONS: dict[types.CodeType, dict[int, dis.Instruction]] = {}


def _instructions(code: types.CodeType) -> dict[int, dis.Instruction]:
    found = _INSTRUCTIONS.get(code)
    if found is None:
        found = _INSTRUCTIONS[code] = {i.offset: i for i in dis.get_instructions(code)}
    return found


def _codes(code: types.CodeType) -> Iterator[types.CodeType]:
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _codes(const)


def _is_dispatcher(value: object) -> bool:
    return hasattr(value, "py_func") and hasattr(value, "targetoptions")


def blas_in_kernel(kernel: object, names: Iterable[str] = BLAS_NAMES, _seen: set | None = None) -> str | None:
    """What in a Numba kernel's source (or in the kernels it calls) is a matrix product, or None.

    Looks at the bytecode of ``kernel.py_func``: the ``@`` operator, and the names in ``names``
    (so ``np.dot(A, B)`` and ``A @ B`` inside ``@njit``, which Numba hands to BLAS, are found).
    """
    func = getattr(kernel, "py_func", kernel)
    seen = set() if _seen is None else _seen
    if id(func) in seen or not hasattr(func, "__code__"):
        return None
    seen.add(id(func))
    names = frozenset(names)
    for code in _codes(func.__code__):
        for ins in dis.get_instructions(code):
            if ins.opname == "BINARY_OP" and ins.argrepr in ("@", "@="):
                return f"the @ operator in {func.__name__}"
            if ins.opname in _NAME_OPS and isinstance(ins.argval, str):
                if ins.argval in names:
                    return f"{ins.argval} in {func.__name__}"
                value = func.__globals__.get(ins.argval) if ins.opname == "LOAD_GLOBAL" else None
                if _is_dispatcher(value):
                    inner = blas_in_kernel(value, names, seen)
                    if inner:
                        return inner
    return None


def _raiser(what: str):
    def refuse(*args, **kwargs):
        raise ShortcutError(f"{what} is not available in this graded call")
    return refuse


@contextlib.contextmanager
def no_blas(names: Iterable[str] = BLAS_NAMES, *, count_products: bool = False) -> Iterator[list]:
    """Inside the block, notebook code may not use a matrix product from a library.

    Args:
        names: the names that count as a library matrix product (default ``BLAS_NAMES``).
        count_products: allow ``@``, ``np.matmul`` and ``np.dot`` but record each product instead
            (for exercises that tile a product into many small ones).

    Yields:
        A list that receives one entry per product when ``count_products`` is set: the operand
        shapes for ``np.matmul``/``np.dot`` calls, ``None`` for the ``@`` operator.

    Raises:
        ShortcutError: notebook code used ``@``, named an entry point or called a kernel that does.
    """
    names = frozenset(names) - ({"matmul", "dot"} if count_products else set())
    products: list = []
    forbidden_ids = set()
    saved = []
    for module, attr in _NUMPY_ENTRY_POINTS:
        original = getattr(module, attr, None)
        if original is None:
            continue
        forbidden_ids.add(id(original))
        saved.append((module, attr, original))
        if count_products and attr in ("matmul", "dot"):
            def counted(*args, _original=original, **kwargs):
                products.append(tuple(np.shape(a) for a in args[:2]))
                return _original(*args, **kwargs)
            setattr(module, attr, counted)
        else:
            setattr(module, attr, _raiser(f"{module.__name__}.{attr}"))
    checked_kernels: set[int] = set()

    def local(frame, event, arg):
        if event != "opcode":
            return local
        ins = _instructions(frame.f_code).get(frame.f_lasti)
        if ins is None:
            return local
        if ins.opname == "BINARY_OP" and ins.argrepr in ("@", "@="):
            if count_products:
                products.append(None)
            else:
                raise ShortcutError("the @ operator (BLAS) is not available in this graded call")
        elif ins.opname in _NAME_OPS and isinstance(ins.argval, str):
            if ins.argval in names:
                raise ShortcutError(f"{ins.argval!r} (a library matrix product) is not available in this graded call")
            if ins.opname in ("LOAD_GLOBAL", "LOAD_NAME"):
                value = frame.f_globals.get(ins.argval)
                if id(value) in forbidden_ids and not count_products:
                    raise ShortcutError(f"{ins.argval} (a library matrix product) is not available in this graded call")
                if _is_dispatcher(value) and id(value) not in checked_kernels:
                    checked_kernels.add(id(value))
                    found = blas_in_kernel(value, names)
                    if found:
                        raise ShortcutError(f"compiled kernel {ins.argval} calls BLAS ({found}); write the loops")
        return local

    def global_trace(frame, event, arg):
        if event == "call" and _is_notebook_code(frame.f_code):
            frame.f_trace_opcodes = True
            return local
        return None

    previous = sys.gettrace()
    sys.settrace(global_trace)
    try:
        yield products
    finally:
        sys.settrace(previous)
        for module, attr, original in saved:
            setattr(module, attr, original)


@contextlib.contextmanager
def pool_threads(hold_s: float = 0.005) -> Iterator[list]:
    """Record the threads of ``concurrent.futures`` thread pools that run work items in the block.

    Each work item waits ``hold_s`` before it runs, so that a pool asked for several workers starts
    them instead of reusing the first one (a pool reuses an idle thread before it starts another).

    Yields:
        A list that receives the thread identifier of every work item run, in order.
    """
    from concurrent.futures import thread as futures_thread

    used: list[int] = []
    original = futures_thread._WorkItem.run

    def run(item, *args, **kwargs):
        used.append(threading.get_ident())
        time.sleep(hold_s)
        return original(item, *args, **kwargs)

    futures_thread._WorkItem.run = run
    try:
        yield used
    finally:
        futures_thread._WorkItem.run = original
