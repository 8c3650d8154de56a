# exercise: tensors_tensor_memory_pool
# why: computes the offset of a tensor in elements instead of bytes when freeing it
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        offset = arr.ctypes.data - self.buffer.ctypes.data
=======
        offset = (arr.ctypes.data - self.buffer.ctypes.data) // arr.itemsize
>>>>>>> replacement
