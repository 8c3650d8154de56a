# exercise: kernels_quantize_symmetric
# why: quantizes in the input's own precision (float32) with a reciprocal scale; correct, and
#      within a few float32 ulps of scale / 2 at 16 bits
<<<<<<< reference
    x = np.asarray(x, dtype=np.float64)
=======
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
>>>>>>> replacement
<<<<<<< reference
    q = np.clip(np.rint(x / scale), -qmax, qmax)
=======
    q = np.clip(np.round(x * x.dtype.type(1 / scale)), -qmax, qmax)
>>>>>>> replacement
