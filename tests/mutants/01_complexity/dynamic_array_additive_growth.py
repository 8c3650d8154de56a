# exercise: complexity_dynamic_array
# why: grows by a constant amount (16 slots), so n appends cost O(n^2) copies
class DynamicArray:
    def __init__(self, initial_capacity: int = 1) -> None:
        self.capacity = initial_capacity
        self.copies = 0
        self._size = 0
        self._slots = [None] * initial_capacity

    def append(self, value):
        if self._size == self.capacity:
            new_slots = [None] * (self.capacity + 16)
            for i in range(self._size):
                new_slots[i] = self._slots[i]
            self.copies += self._size
            self._slots = new_slots
            self.capacity += 16
        self._slots[self._size] = value
        self._size += 1

    def __getitem__(self, index):
        if not -self._size <= index < self._size:
            raise IndexError(index)
        return self._slots[index % self._size]

    def __len__(self):
        return self._size
