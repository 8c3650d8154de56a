# exercise: memory_estimate_activations
# why: forgets the ReLU outputs the later Linears keep; counts only the input
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    return int(batch_size) * int(sum(sizes[:-1])) * bytes_per_element
=======
    return int(batch_size) * int(sizes[0]) * bytes_per_element
>>>>>>> replacement
