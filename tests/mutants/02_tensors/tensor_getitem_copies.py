# exercise: tensors_tensor
# why: indexing builds a new buffer instead of a view
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        return Tensor(self.buffer, shape, strides, offset)
=======
        return Tensor(Tensor(self.buffer, shape, strides, offset).numpy())
>>>>>>> replacement
