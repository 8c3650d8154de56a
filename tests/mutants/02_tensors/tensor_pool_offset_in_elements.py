# exercise: tensors_tensor_memory_pool
# why: computes the offset of a tensor in elements instead of bytes when freeing it
class TensorMemoryPool(MemoryPool):
    """A MemoryPool over its own byte buffer that hands out NumPy arrays living in that buffer."""

    def __init__(self, size_bytes: int) -> None:
        """A pool whose ``buffer`` is a ``uint8`` array of ``size_bytes`` starting on a 64-byte boundary."""
        # about 5 lines
        super().__init__(size_bytes)
        raw = np.zeros(self.size_bytes + 64, dtype=np.uint8)
        start = (-raw.ctypes.data) % 64
        self.buffer = raw[start:start + self.size_bytes]
        self._tensor_bytes = {}

    def allocate_tensor(self, shape: Shape, dtype=np.float64) -> np.ndarray:
        """An uninitialised array of ``shape`` and ``dtype`` inside the pool's buffer.

        Raises:
            MemoryError: it does not fit.
        """
        # about 6 lines
        dtype = np.dtype(dtype)
        shape = tuple(int(n) for n in shape)
        nbytes = math.prod(shape) * dtype.itemsize
        offset = self.allocate(max(nbytes, 1), alignment=max(64, dtype.alignment))
        self._tensor_bytes[offset] = nbytes
        return self.buffer[offset:offset + nbytes].view(dtype).reshape(shape)

    def free_tensor(self, arr: np.ndarray) -> None:
        """Give back the memory of an array returned by ``allocate_tensor``.

        Raises:
            ValueError: ``arr`` does not start at a live block of this pool.
        """
        # about 5 lines
        if not isinstance(arr, np.ndarray) or not np.shares_memory(arr, self.buffer):
            raise ValueError("this array does not live in the pool's buffer")
        offset = (arr.ctypes.data - self.buffer.ctypes.data) // arr.itemsize
        self.free(offset)
        self._tensor_bytes.pop(offset, None)

    def defragment(self) -> dict[int, int]:
        """Pack live blocks to the front and move their bytes with them."""
        # about 7 lines
        moves = super().defragment()
        moved = {}
        for old, new in sorted(moves.items()):
            nbytes = self._tensor_bytes.pop(old, 0)
            self.buffer[new:new + nbytes] = self.buffer[old:old + nbytes]
            moved[new] = nbytes
        self._tensor_bytes = moved
        return moves
