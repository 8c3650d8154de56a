# exercise: tensors_sparse_tensor
# why: 1 - nnz / size rounds twice, so 3 nonzeros in 3 x 3 give 0.6666666666666667, not 2/3
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        return 1.0 if size == 0 else (size - self.nnz) / size
=======
        return 1.0 if size == 0 else 1.0 - self.nnz / size
>>>>>>> replacement
