# exercise: kernels_reads_per_thread
# why: counts the reads of A only, forgetting B
def global_reads_per_thread(kernel_name, n, tile):
    if kernel_name == "naive":
        return n
    if kernel_name == "shared":
        return math.ceil(n / tile)
    raise ValueError(f"kernel_name={kernel_name!r}: expected 'naive' or 'shared'")
