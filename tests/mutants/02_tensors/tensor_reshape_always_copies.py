# exercise: tensors_tensor
# why: reshape always copies, even when a view is possible
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        if self.is_contiguous():
            return Tensor(self.buffer, shape, None, self.offset)
=======
>>>>>>> replacement
