# exercise: kernels_quantized_relu
# why: returns the integers without multiplying by the scale
def quantized_relu(x, bits=8):
    q, scale = quantize_symmetric(x, bits)
    return np.maximum(q, 0).astype(np.float32)
