# exercise: tensors_tensor
# why: transpose copies the data into a new buffer
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        return Tensor(
            self.buffer, [self.shape[a] for a in axes], [self.strides[a] for a in axes], self.offset
        )
=======
        view = Tensor(self.buffer, [self.shape[a] for a in axes], [self.strides[a] for a in axes], self.offset)
        return Tensor(view.numpy())
>>>>>>> replacement
