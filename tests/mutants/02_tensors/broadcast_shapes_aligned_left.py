# exercise: tensors_broadcast_shapes
# why: aligns shapes from the left (pads on the right) instead of from the right
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
            axis = ndim - len(shape) + k
=======
            axis = k
>>>>>>> replacement
