"""Count the memory operations of a kernel: loads and stores of array elements, not time.

A register-blocked matrix kernel is fast because it keeps partial sums in local variables
(registers) and reuses each value it loads many times; the plain i, p, j loop loads and stores
``C[i, j]`` and loads ``B[p, j]`` for every multiply-add. That difference is a count, and a count
does not change with the load on the machine, so a grade cell can check the technique exactly.

``count_memory_ops(kernel, *args)`` runs a Numba kernel's plain-Python version (``kernel.py_func``)
on tiny inputs with arrays that count every element they read or write:

- indexing a single element is one load, assigning to an element or a slice is one store per
  element written (and one load per element read from an array on the right);
- an element-wise NumPy operation (a ufunc) loads each array operand once per output element and
  stores each output element; a reduction loads every element it reduces;
- arrays the kernel allocates (``np.zeros``, ``np.empty_like``, ``x.copy()``, ...) count too, as
  do global arrays it reads and every alias of a counted array: slices, transposes, reshapes,
  ``.flat``, ``.view(...)``, ``.base``, ``np.asarray`` and ``np.lib.stride_tricks`` views; a raw
  pointer or buffer (``.ctypes``, ``.data``) or ``.dot`` is an error, not a blind spot;
- any other NumPy function that reads array data (``np.convolve``, ``np.take``, ``np.copyto``)
  loads at least every element of its counted operands and stores every element it returns;
- local scalar variables count nothing: they are the registers.

Numba kernels the kernel calls are run as plain Python in the same way, however they are reached
(a global name, a closure, a container). The count is of the
algorithm as written, not of what LLVM makes of it (it may keep a value in a register that the
count loads twice), which is what a grade needs: the same number on every machine.
"""

from __future__ import annotations

import contextlib
import dataclasses
import sys
import types
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np


@dataclasses.dataclass
class MemoryCount:
    """Element loads and stores counted during one run."""

    loads: int = 0
    stores: int = 0

    @property
    def total(self) -> int:
        """Loads plus stores."""
        return self.loads + self.stores


_ACTIVE: list[MemoryCount] = []


def _tally(loads: int = 0, stores: int = 0) -> None:
    if _ACTIVE:
        _ACTIVE[-1].loads += loads
        _ACTIVE[-1].stores += stores


def _plain(value: Any) -> Any:
    return np.ndarray.view(value, np.ndarray) if isinstance(value, CountedArray) else value


def _counted(value: Any) -> Any:
    """``value`` with every plain ndarray in it (a tuple or list of them too) made a counted view."""
    if isinstance(value, np.ndarray) and not isinstance(value, CountedArray):
        return np.ndarray.view(value, CountedArray)
    if type(value) in (tuple, list):
        return type(value)(_counted(v) for v in value)
    return value


def _uncountable(what: str) -> AssertionError:
    return AssertionError(f"{what} reaches array memory the count cannot see; index the array itself")


class _CountedFlat:
    """``a.flat`` of a counted array: one load per element read, one store per element written."""

    def __init__(self, array: CountedArray) -> None:
        self._flat = np.ndarray.view(array, np.ndarray).flat

    def __getitem__(self, key: Any) -> Any:
        found = self._flat[key]
        _tally(loads=np.size(found))
        return _counted(found)

    def __setitem__(self, key: Any, value: Any) -> None:
        before = np.size(self._flat[key])
        _tally(loads=np.size(value) if isinstance(value, np.ndarray) else 0, stores=before)
        self._flat[key] = _plain(value)

    def __len__(self) -> int:
        return len(self._flat)

    def __iter__(self) -> Iterator[Any]:
        for index in range(len(self._flat)):
            yield self[index]


class CountedArray(np.ndarray):
    """An ndarray that adds its element loads and stores to the active ``MemoryCount``."""

    def __getitem__(self, key: Any) -> Any:
        found = super().__getitem__(key)
        if not isinstance(found, np.ndarray):
            _tally(loads=1)
        elif not np.may_share_memory(found, self):  # advanced indexing copies
            _tally(loads=found.size, stores=found.size)
        return found

    def __setitem__(self, key: Any, value: Any) -> None:
        plain = np.ndarray.view(self, np.ndarray)
        target = np.ndarray.__getitem__(plain, key)
        if isinstance(target, np.ndarray) and isinstance(value, np.ndarray):
            if (value.shape == target.shape and value.strides == target.strides
                    and value.__array_interface__["data"][0] == target.__array_interface__["data"][0]):
                return  # ``C[i, a:b] += x`` writes the view in place first; this store is that one
        size = target.size if isinstance(target, np.ndarray) else 1
        _tally(loads=size if isinstance(value, np.ndarray) and value.ndim > 0 else 0, stores=size)
        np.ndarray.__setitem__(plain, key, _plain(value))

    def __iter__(self):
        for index in range(len(self)):
            yield self[index]

    # Every other way to an alias of the buffer stays counted, or fails: the count must see it all.
    def view(self, *args: Any, **kwargs: Any) -> Any:
        return _counted(np.ndarray.view(self, *args, **kwargs))

    @property
    def flat(self) -> _CountedFlat:
        return _CountedFlat(self)

    @flat.setter
    def flat(self, value: Any) -> None:
        self.flat[...] = value

    @property
    def base(self) -> Any:
        found = np.ndarray.base.__get__(self)
        if found is None or isinstance(found, np.ndarray):
            return _counted(found)
        raise _uncountable(".base of a counted array")

    @property
    def ctypes(self) -> Any:
        raise _uncountable(".ctypes (a raw pointer)")

    @property
    def data(self) -> Any:
        raise _uncountable(".data (a raw buffer)")

    def take(self, indices: Any, *args: Any, **kwargs: Any) -> Any:
        found = np.ndarray.take(_plain(self), _plain(indices), *args, **kwargs)
        _tally(loads=np.size(found), stores=np.size(found) if isinstance(found, np.ndarray) else 0)
        return _counted(found)

    def put(self, indices: Any, values: Any, *args: Any, **kwargs: Any) -> None:
        _tally(loads=np.size(values) if isinstance(values, np.ndarray) else 0, stores=np.size(indices))
        np.ndarray.put(_plain(self), _plain(indices), _plain(values), *args, **kwargs)

    def dot(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a library matrix product (.dot) inside the kernel")

    def item(self, *args: Any) -> Any:
        _tally(loads=1)
        return np.ndarray.view(self, np.ndarray).item(*args)

    def tolist(self) -> Any:
        _tally(loads=self.size)
        return np.ndarray.view(self, np.ndarray).tolist()

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        if ufunc is np.matmul:
            raise AssertionError("a library matrix product (matmul) inside the kernel")
        out = kwargs.get("out")
        if out is not None:
            kwargs["out"] = tuple(_plain(o) for o in out)
        result = getattr(ufunc, method)(*(_plain(x) for x in inputs), **kwargs)
        results = result if isinstance(result, tuple) else (result,)
        out_size = sum(np.size(r) for r in results if r is not None)
        arrays = [x for x in inputs if isinstance(x, np.ndarray)]
        if method == "__call__" or method == "outer":
            _tally(loads=out_size // max(len(results), 1) * len(arrays), stores=out_size)
        else:  # reduce, accumulate, reduceat, at: every element of the operands is read
            _tally(loads=sum(x.size for x in arrays), stores=out_size)
        if out is not None:
            return out[0] if len(out) == 1 else out
        return tuple(_counted(r) for r in results) if isinstance(result, tuple) else _counted(result)


class _CountingNumpy(types.ModuleType):
    """NumPy (or one of its submodules) as seen by a counted kernel: a function that returns an
    array returns a counted one, and submodules (``np.lib.stride_tricks``) are counting too."""

    def __init__(self, module: types.ModuleType = np) -> None:
        super().__init__(module.__name__)
        self._module = module

    def __getattr__(self, name: str) -> Any:
        return _counting_version(getattr(self._module, name))


_WRAPPED: dict[int, Any] = {}


def _is_numpy(value: Any) -> bool:
    name = value.__name__ if isinstance(value, types.ModuleType) else getattr(value, "__module__", None)
    return isinstance(name, str) and (name == "numpy" or name.startswith("numpy."))


def _counting_version(value: Any) -> Any:
    """``value`` itself, or for a NumPy function a wrapper that makes an array result counted."""
    if isinstance(value, types.ModuleType):
        if not _is_numpy(value):
            return value
        wrapped = _WRAPPED.get(id(value))
        if wrapped is None:
            wrapped = _WRAPPED[id(value)] = _CountingNumpy(value)
        return wrapped
    if not callable(value) or isinstance(value, (type, np.ufunc)):
        return value
    wrapped = _WRAPPED.get(id(value))
    if wrapped is None:
        if getattr(value, "__name__", "") in _NO_DATA_READ:
            def wrapped(*args: Any, _func: Callable[..., Any] = value, **kwargs: Any) -> Any:
                return _counted(_func(*args, **kwargs))
        else:
            def wrapped(*args: Any, _func: Callable[..., Any] = value, **kwargs: Any) -> Any:
                return _read_whole_arrays(_func, args, kwargs)
        _WRAPPED[id(value)] = wrapped
    return wrapped


#: NumPy functions that make views or read only shapes and dtypes: counted arrays pass through free.
_NO_DATA_READ = frozenset({
    "asarray", "asanyarray", "ascontiguousarray", "asfortranarray", "reshape", "ravel", "transpose",
    "swapaxes", "moveaxis", "rollaxis", "expand_dims", "squeeze", "atleast_1d", "atleast_2d",
    "atleast_3d", "broadcast_to", "broadcast_arrays", "as_strided", "sliding_window_view", "frombuffer",
    "shape", "ndim", "size", "result_type", "may_share_memory", "shares_memory", "isscalar",
    "empty_like", "zeros_like", "ones_like", "full_like", "empty", "zeros", "ones", "full", "arange",
    "linspace", "dtype", "finfo", "iinfo", "promote_types", "can_cast", "min_scalar_type",
})


#: NumPy functions that write into their first argument and return nothing.
_WRITES_FIRST_ARGUMENT = frozenset({"copyto", "place", "putmask", "put", "put_along_axis", "fill_diagonal"})


def _read_whole_arrays(func: Callable[..., Any], args: tuple, kwargs: dict) -> Any:
    """Call a NumPy function that reads array data: at least every element of each counted array
    argument is a load and every element of an array result a store (its own ufunc calls, if any,
    are not counted again on top)."""
    inner = MemoryCount()
    _ACTIVE.append(inner)
    try:
        result = func(*args, **kwargs)
    finally:
        _ACTIVE.pop()
    read = sum(a.size for a in (*args, *kwargs.values()) if isinstance(a, CountedArray))
    parts = result if type(result) in (tuple, list) else (result,)
    written = sum(r.size for r in parts if isinstance(r, np.ndarray))
    if getattr(func, "__name__", "") in _WRITES_FIRST_ARGUMENT and args and isinstance(args[0], np.ndarray):
        written += args[0].size  # np.copyto(dst, src), np.place(arr, ...): an upper bound
    _tally(loads=max(inner.loads, read), stores=max(inner.stores, written))
    return _counted(result)


_NUMPY = _CountingNumpy()
_NUMPY_FUNCTIONS = {id(v): k for k, v in vars(np).items() if callable(v)
                    and not isinstance(v, (type, np.ufunc, types.ModuleType))}


def _is_dispatcher(value: object) -> bool:
    return hasattr(value, "py_func") and hasattr(value, "targetoptions")


class _Rebuilder:
    """Plain-Python versions of kernels, sharing one copy of each module's global names."""

    def __init__(self) -> None:
        self.rebuilt: dict[int, Callable[..., Any]] = {}
        self.namespaces: dict[int, dict[str, Any]] = {}

    def __call__(self, func: Any) -> Callable[..., Any]:
        py = getattr(func, "py_func", func)
        if id(py) in self.rebuilt:
            return self.rebuilt[id(py)]
        if not isinstance(py, types.FunctionType):
            return py
        original = py.__globals__
        space = self.namespaces.get(id(original))
        fresh = space is None
        if fresh:
            space = self.namespaces[id(original)] = dict(original)
        new = types.FunctionType(py.__code__, space, py.__name__, py.__defaults__, py.__closure__)
        new.__kwdefaults__ = py.__kwdefaults__
        self.rebuilt[id(py)] = new
        if fresh:
            for name, value in original.items():
                if value is np:
                    space[name] = _NUMPY
                elif type(value) is np.ndarray:
                    space[name] = value.view(CountedArray)
                elif _is_dispatcher(value):
                    space[name] = self(value)
                elif name.startswith("__"):
                    continue
                elif id(value) in _NUMPY_FUNCTIONS or (isinstance(value, types.ModuleType) and _is_numpy(value)):
                    space[name] = _counting_version(value)
                elif (callable(value) and not isinstance(value, (type, np.ufunc)) and _is_numpy(value)):
                    space[name] = _counting_version(value)  # from numpy.lib.stride_tricks import ...
        return new


def plain_python(kernel: Callable[..., Any]) -> Callable[..., Any]:
    """The kernel's plain-Python version, seeing counting NumPy, counted globals and plain callees.

    In a copy of the kernel's global names, the NumPy module and functions imported from it
    become counting versions, global arrays become counted views, and every Numba kernel becomes
    its own plain-Python version (recursively), so the whole call tree is counted.
    """
    return _Rebuilder()(kernel)


_MISSING = object()


@contextlib.contextmanager
def _numba_runs_as_python(rebuild: _Rebuilder) -> Iterator[None]:
    """While counting, a Numba kernel reached any other way (a closure, a container) runs as Python.

    Numba accepts a ``CountedArray`` (an ndarray subclass) and would run compiled code on it,
    where nothing is counted.
    """
    numba = sys.modules.get("numba")
    if numba is None:
        yield
        return
    from numba.core.dispatcher import Dispatcher

    saved = Dispatcher.__dict__.get("__call__", _MISSING)

    def call(self: Any, *args: Any, **kwargs: Any) -> Any:
        # plain arrays passed in (``a.view(np.ndarray)`` made before the count began) count too
        return rebuild(self)(*(_counted(a) for a in args), **{k: _counted(v) for k, v in kwargs.items()})

    Dispatcher.__call__ = call
    try:
        yield
    finally:
        if saved is _MISSING:
            del Dispatcher.__call__
        else:
            Dispatcher.__call__ = saved


def count_memory_ops(kernel: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, MemoryCount]:
    """Run ``kernel``'s plain-Python version on counted copies of its array arguments.

    Args:
        kernel: a Numba kernel (its ``py_func`` runs) or a plain Python function.
        *args, **kwargs: its arguments; arrays are copied, so the caller's arrays stay unchanged.

    Returns:
        ``(result, count)``: what the kernel returned (arrays as plain ndarrays) and the element
        loads and stores of every array it touched.
    """
    def counted_copy(value: Any) -> Any:
        return np.array(value).view(CountedArray) if isinstance(value, np.ndarray) else value

    rebuild = _Rebuilder()
    func = rebuild(kernel)
    count = MemoryCount()
    _ACTIVE.append(count)
    try:
        with _numba_runs_as_python(rebuild):
            result = func(*(counted_copy(a) for a in args), **{k: counted_copy(v) for k, v in kwargs.items()})
    finally:
        _ACTIVE.pop()
    if isinstance(result, np.ndarray):
        result = np.array(_plain(result))
    return result, count
