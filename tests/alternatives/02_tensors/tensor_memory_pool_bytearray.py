# exercise: tensors_tensor_memory_pool
# why: a bytearray buffer read through np.frombuffer, offsets remembered by address
class TensorMemoryPool(MemoryPool):
    def __init__(self, size_bytes):
        super().__init__(size_bytes)
        self.storage = bytearray(size_bytes)
        self.buffer = np.frombuffer(self.storage, dtype=np.uint8)
        self.offsets = {}

    def allocate_tensor(self, shape, dtype=np.float64):
        dtype = np.dtype(dtype)
        count = math.prod(shape)
        offset = self.allocate(max(count * dtype.itemsize, 1))
        arr = np.frombuffer(self.storage, dtype=dtype, count=count, offset=offset).reshape(shape)
        self.offsets[arr.__array_interface__["data"][0]] = offset
        return arr

    def free_tensor(self, arr):
        address = arr.__array_interface__["data"][0]
        if address not in self.offsets:
            raise ValueError("not a tensor of this pool")
        self.free(self.offsets.pop(address))
