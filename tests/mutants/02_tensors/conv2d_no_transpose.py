# exercise: tensors_conv2d
# why: reshapes the (F, N*L) product straight to (N, F, out_h, out_w), mixing filters and images
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    return np.ascontiguousarray(out.reshape(f, x.shape[0], out_h, out_w).transpose(1, 0, 2, 3))
=======
    return np.ascontiguousarray(out.reshape(x.shape[0], f, out_h, out_w))
>>>>>>> replacement
