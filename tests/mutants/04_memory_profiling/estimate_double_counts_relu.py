# exercise: memory_estimate_activations
# why: counts each ReLU output twice: once for the ReLU, once for the next Linear
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    return int(batch_size) * int(sum(sizes[:-1])) * bytes_per_element
=======
    return int(batch_size) * (sizes[0] + 2 * int(sum(sizes[1:-1]))) * bytes_per_element
>>>>>>> replacement
