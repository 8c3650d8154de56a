# exercise: tensors_sparse_tensor
# why: coalesces only duplicates that are next to each other in the input, like a run-length merge
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        flat = self._flat(indices, shape)
        unique, inverse = np.unique(flat, return_inverse=True)
        summed = np.zeros(len(unique), dtype=values.dtype)
        np.add.at(summed, inverse, values)
        keep = summed != 0
        self.shape = shape
        self.values = summed[keep]
        self.indices = self._coordinates(unique[keep], shape)
=======
        flat = self._flat(indices, shape)
        starts = np.ones(len(flat), dtype=bool)
        starts[1:] = flat[1:] != flat[:-1]
        summed = np.add.reduceat(values, np.flatnonzero(starts)) if len(flat) else values
        flat = flat[starts]
        order = np.argsort(flat, kind="stable")
        keep = summed[order] != 0
        self.shape = shape
        self.values = summed[order][keep]
        self.indices = self._coordinates(flat[order][keep], shape)
>>>>>>> replacement
