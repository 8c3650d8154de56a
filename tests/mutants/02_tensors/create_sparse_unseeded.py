# exercise: tensors_create_sparse_tensor
# why: ignores the seed
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    rng = np.random.default_rng(seed)
=======
    rng = np.random.default_rng()
>>>>>>> replacement
