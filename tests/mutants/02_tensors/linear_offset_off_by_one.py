# exercise: tensors_linear_offset
# why: bounds check off by one: index == size is accepted
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        if not -n <= i < n:
=======
        if not -n <= i <= n:
>>>>>>> replacement
