# exercise: tensors_memory_pool
# why: rounds every size up to its alignment, keeps a sorted list of all blocks, and reports with methods
class MemoryPool:
    def __init__(self, size_bytes):
        if size_bytes <= 0:
            raise ValueError(f"size {size_bytes}")
        self.size_bytes = size_bytes
        self.blocks = [[0, size_bytes, False, 1]]  # [offset, size, in use, alignment]

    def allocate(self, nbytes, alignment=64):
        if nbytes <= 0 or alignment <= 0 or alignment & (alignment - 1):
            raise ValueError(f"nbytes {nbytes}, alignment {alignment}")
        size = -(-nbytes // alignment) * alignment
        for k, (offset, length, used, _) in enumerate(self.blocks):
            start = -(-offset // alignment) * alignment
            if not used and start + size <= offset + length:
                new = [[offset, start - offset, False, 1], [start, size, True, alignment],
                       [start + size, offset + length - start - size, False, 1]]
                self.blocks[k:k + 1] = [b for b in new if b[1] > 0]
                return start
        raise MemoryError(f"{nbytes} bytes do not fit")

    def free(self, offset):
        k = next((k for k, b in enumerate(self.blocks) if b[0] == offset and b[2]), None)
        if k is None:
            raise ValueError(f"no live block at {offset}")
        self.blocks[k][2] = False
        merged = []
        for block in self.blocks:
            if merged and not merged[-1][2] and not block[2]:
                merged[-1][1] += block[1]
            else:
                merged.append(list(block))
        self.blocks = merged

    def defragment(self):
        moves, packed, cursor = {}, [], 0
        for offset, length, used, alignment in self.blocks:
            if used:
                start = -(-cursor // alignment) * alignment
                if start > cursor:
                    packed.append([cursor, start - cursor, False, 1])
                moves[offset] = start
                packed.append([start, length, True, alignment])
                cursor = start + length
        if cursor < self.size_bytes:
            packed.append([cursor, self.size_bytes - cursor, False, 1])
        self.blocks = packed
        return moves

    def used_bytes(self):
        return sum(b[1] for b in self.blocks if b[2])

    def free_bytes(self):
        return self.size_bytes - self.used_bytes()

    def largest_free_block(self):
        return max([b[1] for b in self.blocks if not b[2]], default=0)

    def fragmentation(self):
        free = self.free_bytes()
        return 0.0 if not free else 1 - self.largest_free_block() / free
