# exercise: kernels_quantized_relu
# why: dequantizes first, then takes the ReLU in floating point (same values)
def quantized_relu(x, bits=8):
    q, scale = quantize_symmetric(x, bits=bits)
    return np.maximum(q.astype(np.float32) * np.float32(scale), np.float32(0))
