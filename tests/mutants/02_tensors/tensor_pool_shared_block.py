# exercise: tensors_tensor_memory_pool
# why: every tensor starts at the beginning of the buffer
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        return self.buffer[offset:offset + nbytes].view(dtype).reshape(shape)
=======
        return self.buffer[0:nbytes].view(dtype).reshape(shape)
>>>>>>> replacement
<<<<<<< reference
        offset = arr.ctypes.data - self.buffer.ctypes.data
=======
        offset = min(self._tensor_bytes)
>>>>>>> replacement
