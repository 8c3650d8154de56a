# exercise: kernels_quantized_matmul
# why: returns float64 instead of float32
def quantized_matmul(A, B, bits=8):
    matmul_shapes(A, B)
    qa, scale_a = quantize_symmetric(A, bits)
    qb, scale_b = quantize_symmetric(B, bits)
    acc = np.int32 if bits == 8 else np.int64
    return (qa.astype(acc) @ qb.astype(acc)) * (scale_a * scale_b)
