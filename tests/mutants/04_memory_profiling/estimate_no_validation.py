# exercise: memory_estimate_activations
# why: no argument checks: a zero batch returns 0 instead of raising
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    _check_positive_int(batch_size, "batch_size")
=======
>>>>>>> replacement
<<<<<<< reference
    for size in sizes:
        _check_positive_int(size, "every layer size")
=======
>>>>>>> replacement
