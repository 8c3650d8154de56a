# exercise: tensors_sparse_tensor
# why: accepts coordinates outside the shape
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
            row = int(np.argwhere(outside)[0, 0])
            raise ValueError(f"coordinate {tuple(indices[row])} is out of bounds for shape {shape}")
=======
            keep_rows = ~outside.any(axis=1)
            values, indices = values[keep_rows], indices[keep_rows]
>>>>>>> replacement
