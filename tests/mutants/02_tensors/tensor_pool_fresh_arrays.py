# exercise: tensors_tensor_memory_pool
# why: books the bytes in the pool but returns a fresh array outside its buffer
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        return self.buffer[offset:offset + nbytes].view(dtype).reshape(shape)
=======
        arr = np.empty(shape, dtype=dtype)
        self._outside = getattr(self, '_outside', {})
        self._outside[arr.ctypes.data] = offset
        return arr
>>>>>>> replacement
<<<<<<< reference
        if not isinstance(arr, np.ndarray) or not np.shares_memory(arr, self.buffer):
            raise ValueError("this array does not live in the pool's buffer")
        offset = arr.ctypes.data - self.buffer.ctypes.data
=======
        outside = getattr(self, "_outside", {})
        if arr.ctypes.data not in outside:
            raise ValueError("this array was not allocated here")
        offset = outside.pop(arr.ctypes.data)
>>>>>>> replacement
