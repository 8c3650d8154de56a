# exercise: complexity_prefix_sum
# why: builds a new list and rebinds the local name; the caller's object never changes
def prefix_sum_inplace(arr):
    if not isinstance(arr, (list, np.ndarray)):
        raise TypeError(f"expected a list or an array, got {type(arr).__name__}")
    running = []
    total = 0
    for value in arr:
        total += value
        running.append(total)
    arr = running
