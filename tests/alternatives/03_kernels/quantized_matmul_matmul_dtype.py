# exercise: kernels_quantized_matmul
# why: np.matmul with an explicit accumulator dtype instead of casting first
def quantized_matmul(A, B, bits=8):
    matmul_shapes(A, B)
    qa, sa = quantize_symmetric(A, bits=bits)
    qb, sb = quantize_symmetric(B, bits=bits)
    acc = np.matmul(qa, qb, dtype=np.int32 if bits == 8 else np.int64)
    return (acc.astype(np.float64) * sa * sb).astype(np.float32)
