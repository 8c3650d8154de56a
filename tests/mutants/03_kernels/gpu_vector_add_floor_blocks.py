# exercise: kernels_gpu_vector_add
# why: rounds the block count down, so the tail of the vector is never added
def gpu_vector_add(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.ndim != 1 or a.shape != b.shape:
        raise ValueError(f"shapes {a.shape} and {b.shape}: expected two 1-D arrays of equal length")
    out = np.zeros(a.shape, dtype=np.result_type(a, b))
    blocks = a.size // THREADS_PER_BLOCK
    if blocks > 0:
        vector_add_kernel[blocks, THREADS_PER_BLOCK](a, b, out)
    return out
