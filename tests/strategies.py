"""Shared hypothesis strategies and settings for the course tests.

``deadline=None`` everywhere: the first call of a numba function compiles it, which can take a
second and would otherwise trip hypothesis's per-example deadline.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

settings.register_profile(
    "course",
    deadline=None,
    max_examples=40,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("course")

small_dims = st.integers(min_value=0, max_value=6)
positive_dims = st.integers(min_value=1, max_value=6)


def shapes(min_dims: int = 0, max_dims: int = 4, min_side: int = 0, max_side: int = 5):
    """Array shapes with ``min_dims``..``max_dims`` axes of ``min_side``..``max_side`` each."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def float_arrays(shape, dtype=np.float64, bound: float = 1e3):
    """Finite float arrays of ``shape`` with values in [-bound, bound]."""
    return hnp.arrays(dtype, shape, elements=st.floats(-bound, bound, allow_nan=False, width=64 if dtype == np.float64 else 32))


def float_lists(min_size: int = 0, max_size: int = 50, bound: float = 1e6):
    """Python lists of finite floats."""
    return st.lists(st.floats(-bound, bound, allow_nan=False), min_size=min_size, max_size=max_size)
