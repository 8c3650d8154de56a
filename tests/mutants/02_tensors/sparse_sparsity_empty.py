# exercise: tensors_sparse_tensor
# why: sparsity of a tensor with no elements is 0 instead of 1
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        return 1.0 if size == 0 else (size - self.nnz) / size
=======
        return 0.0 if size == 0 else (size - self.nnz) / size
>>>>>>> replacement
