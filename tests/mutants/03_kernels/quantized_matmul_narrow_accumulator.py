# exercise: kernels_quantized_matmul
# why: multiplies the int8 (int16) arrays directly, so the sums wrap around in 8 (16) bits
def quantized_matmul(A, B, bits=8):
    matmul_shapes(A, B)
    qa, scale_a = quantize_symmetric(A, bits)
    qb, scale_b = quantize_symmetric(B, bits)
    return ((qa @ qb) * (scale_a * scale_b)).astype(np.float32)
