# exercise: tensors_conv2d
# why: flips the kernel (true convolution), while PyTorch computes a cross-correlation
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    out = weight.reshape(f, c * kh * kw) @ cols
=======
    out = weight[:, :, ::-1, ::-1].reshape(f, c * kh * kw) @ cols
>>>>>>> replacement
