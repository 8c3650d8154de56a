# exercise: tensors_conv2d
# why: forgets to add the bias
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        out = out + np.asarray(bias).reshape(f, 1)
=======
        pass
>>>>>>> replacement
