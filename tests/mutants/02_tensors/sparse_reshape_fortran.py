# exercise: tensors_sparse_tensor
# why: reshape maps coordinates in column-major order
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        flat = self._flat(self.indices, self.shape)
        return SparseTensor(tuple(shape), self.values, self._coordinates(flat, tuple(shape)))
=======
        flat = np.ravel_multi_index(tuple(self.indices.T), self.shape, order="F")
        coordinates = np.stack(np.unravel_index(flat, tuple(shape), order="F"), axis=1)
        return SparseTensor(tuple(shape), self.values, coordinates)
>>>>>>> replacement
