# exercise: tensors_compute_strides
# why: strides counted in elements, the item size forgotten
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    step = int(itemsize)
=======
    step = 1
>>>>>>> replacement
