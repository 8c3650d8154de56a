# exercise: complexity_prefix_sum
# why: off by one, the loop stops before the last element, which keeps its old value
def prefix_sum_inplace(arr):
    if not isinstance(arr, (list, np.ndarray)):
        raise TypeError(f"expected a list or an array, got {type(arr).__name__}")
    for i in range(1, len(arr) - 1):
        arr[i] += arr[i - 1]
