# exercise: kernels_reads_per_thread
# why: counts whole tiles only (n // tile), forgetting that the last partial tile is loaded too
def global_reads_per_thread(kernel_name, n, tile):
    if kernel_name == "naive":
        return 2 * n
    if kernel_name == "shared":
        return 2 * (n // tile)
    raise ValueError(f"kernel_name={kernel_name!r}: expected 'naive' or 'shared'")
