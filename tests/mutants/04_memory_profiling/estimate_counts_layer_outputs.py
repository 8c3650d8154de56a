# exercise: memory_estimate_activations
# why: counts every Linear output (logits included) instead of the inputs
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    return int(batch_size) * int(sum(sizes[:-1])) * bytes_per_element
=======
    return int(batch_size) * int(sum(sizes[1:])) * bytes_per_element
>>>>>>> replacement
