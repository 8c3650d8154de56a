# exercise: tensors_create_sparse_tensor
# why: treats sparsity as the fraction of nonzeros
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    nnz = round((1.0 - sparsity) * size)
=======
    nnz = round(sparsity * size)
>>>>>>> replacement
