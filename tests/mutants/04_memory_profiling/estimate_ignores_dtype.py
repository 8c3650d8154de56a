# exercise: memory_estimate_activations
# why: assumes 4 bytes per element whatever the dtype
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    return int(batch_size) * int(sum(sizes[:-1])) * bytes_per_element
=======
    return int(batch_size) * int(sum(sizes[:-1])) * 4
>>>>>>> replacement
