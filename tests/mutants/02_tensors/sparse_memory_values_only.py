# exercise: tensors_sparse_tensor
# why: memory_usage forgets the indices
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        return int(self.values.nbytes + self.indices.nbytes)
=======
        return int(self.values.nbytes)
>>>>>>> replacement
