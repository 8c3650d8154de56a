# exercise: kernels_reads_per_thread
# why: integer ceiling division and a lookup table instead of if/else
def global_reads_per_thread(kernel_name, n, tile):
    per_operand = {"naive": n, "shared": (n + tile - 1) // tile}
    if kernel_name not in per_operand:
        raise ValueError(f"unknown kernel_name {kernel_name!r}")
    return 2 * per_operand[kernel_name]
