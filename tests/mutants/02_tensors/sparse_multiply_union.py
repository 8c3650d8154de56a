# exercise: tensors_sparse_tensor
# why: multiply_elementwise keeps entries present in only one operand
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        mine, theirs = self._flat(self.indices, self.shape), other._flat(other.indices, other.shape)
        common, i, j = np.intersect1d(mine, theirs, assume_unique=True, return_indices=True)
        return SparseTensor(self.shape, self.values[i] * other.values[j], self.indices[i])
=======
        mine, theirs = self._flat(self.indices, self.shape), other._flat(other.indices, other.shape)
        product = self.add(other)
        common, i, j = np.intersect1d(mine, theirs, assume_unique=True, return_indices=True)
        return SparseTensor(self.shape, product.values, product.indices)
>>>>>>> replacement
