# exercise: complexity_dynamic_array
# why: grows by 1.5x (rounded up), NumPy object array as storage, capacity as a property
class DynamicArray:
    def __init__(self, initial_capacity: int = 1) -> None:
        if initial_capacity < 1:
            raise ValueError(f"initial_capacity must be at least 1, got {initial_capacity}")
        self._block = np.empty(initial_capacity, dtype=object)
        self._count = 0
        self.copies = 0

    @property
    def capacity(self):
        return len(self._block)

    def append(self, value):
        if self._count == len(self._block):
            bigger = np.empty(math.ceil(1.5 * len(self._block)) + 1, dtype=object)
            bigger[: self._count] = self._block
            self.copies += self._count
            self._block = bigger
        self._block[self._count] = value
        self._count += 1

    def __getitem__(self, index):
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(f"DynamicArray index out of range")
        return self._block[index]

    def __len__(self):
        return self._count
