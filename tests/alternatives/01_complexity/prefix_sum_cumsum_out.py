# exercise: complexity_prefix_sum
# why: NumPy's cumsum writing into its own input (no temporary) for arrays, pairwise updates for lists
def prefix_sum_inplace(arr):
    if isinstance(arr, np.ndarray):
        if arr.ndim != 1:
            raise ValueError(f"expected a 1-D array, got {arr.ndim} dimensions")
        np.cumsum(arr, out=arr)
        return
    if not isinstance(arr, list):
        raise TypeError(f"cannot compute a prefix sum in place on {type(arr).__name__}")
    for i in range(1, len(arr)):
        arr[i] += arr[i - 1]
