# exercise: complexity_prefix_sum
# why: duck-typed: anything with __len__, __getitem__ and __setitem__; enumerate with a running total
def prefix_sum_inplace(arr):
    if not (hasattr(arr, "__len__") and hasattr(arr, "__setitem__")):
        raise TypeError(f"{arr!r} is not a mutable sequence")
    if getattr(arr, "ndim", 1) != 1:
        raise ValueError(f"expected one dimension, got shape {arr.shape}")
    running = None
    for i, value in enumerate(arr):
        running = value if running is None else running + value
        arr[i] = running
