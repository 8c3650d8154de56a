# exercise: complexity_dynamic_array
# why: grows by 3x through a helper; bounds check by try/except around a range lookup
class DynamicArray:
    def __init__(self, initial_capacity: int = 1) -> None:
        if initial_capacity < 1:
            raise ValueError(f"initial_capacity must be at least 1, got {initial_capacity}")
        self.capacity = initial_capacity
        self.copies = 0
        self._n = 0
        self._data = [None] * initial_capacity

    def _resize(self, new_capacity):
        fresh = [None] * new_capacity
        for k in range(self._n):
            fresh[k] = self._data[k]
            self.copies += 1
        self._data, self.capacity = fresh, new_capacity

    def append(self, value):
        if self._n >= self.capacity:
            self._resize(3 * self.capacity)
        self._data[self._n] = value
        self._n += 1

    def __getitem__(self, index):
        try:
            position = range(self._n)[index]
        except IndexError:
            raise IndexError(f"index {index} out of range for {self._n} elements") from None
        return self._data[position]

    def __len__(self):
        return self._n
