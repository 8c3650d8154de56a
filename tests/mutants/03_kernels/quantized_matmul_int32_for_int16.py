# exercise: kernels_quantized_matmul
# why: int32 accumulation for 16-bit operands too: a sum of three 32767 * 32767 products overflows
def quantized_matmul(A, B, bits=8):
    matmul_shapes(A, B)
    qa, scale_a = quantize_symmetric(A, bits)
    qb, scale_b = quantize_symmetric(B, bits)
    product = qa.astype(np.int32) @ qb.astype(np.int32)
    return (product * (scale_a * scale_b)).astype(np.float32)
