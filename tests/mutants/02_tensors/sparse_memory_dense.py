# exercise: tensors_sparse_tensor
# why: memory_usage reports the dense size
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        return int(self.values.nbytes + self.indices.nbytes)
=======
        return int(math.prod(self.shape) * self.values.itemsize)
>>>>>>> replacement
