# exercise: tensors_tensor
# why: is_contiguous only checks the last stride
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        for n, stride in zip(reversed(self.shape), reversed(self.strides)):
            if n != 1 and stride != expected:
                return False
            expected *= n
        return True
=======
        return self.strides[-1] == 1 if self.ndim else True
>>>>>>> replacement
