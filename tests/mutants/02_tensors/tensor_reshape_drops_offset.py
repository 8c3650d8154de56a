# exercise: tensors_tensor
# why: a reshape view starts at the beginning of the buffer, losing the offset
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
            return Tensor(self.buffer, shape, None, self.offset)
=======
            return Tensor(self.buffer, shape, None, 0)
>>>>>>> replacement
