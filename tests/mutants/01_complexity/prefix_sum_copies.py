# exercise: complexity_prefix_sum
# why: right values in the right object, but np.cumsum builds a full temporary copy (O(n) space)
def prefix_sum_inplace(arr):
    if not isinstance(arr, (list, np.ndarray)):
        raise TypeError(f"expected a list or an array, got {type(arr).__name__}")
    if len(arr):
        arr[:] = np.cumsum(arr).tolist() if isinstance(arr, list) else np.cumsum(arr)
