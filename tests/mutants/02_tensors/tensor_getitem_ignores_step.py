# exercise: tensors_tensor
# why: a slice keeps the axis stride and forgets to multiply it by the step
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
                strides.append(stride * step)
=======
                strides.append(stride)
>>>>>>> replacement
