# exercise: tensors_memory_pool
# why: a double free or an unknown offset is silently ignored
class MemoryPool:
    """First-fit allocator over ``size_bytes`` bytes, handing out aligned offsets."""

    def __init__(self, size_bytes: int) -> None:
        """An empty pool; ``ValueError`` if ``size_bytes`` is below 1."""
        # about 6 lines
        if size_bytes < 1:
            raise ValueError(f"pool size must be at least 1 byte, got {size_bytes}")
        self.size_bytes = int(size_bytes)
        self._free = [(0, self.size_bytes)]  # sorted (offset, size) of free blocks
        self._live = {}  # offset -> (size, alignment) of allocated blocks

    def allocate(self, nbytes: int, alignment: int = 64) -> int:
        """Reserve ``nbytes`` at the first offset (lowest address) that is a multiple of ``alignment``.

        Returns:
            The offset of the block.

        Raises:
            ValueError: ``nbytes`` below 1, or ``alignment`` not a positive power of two.
            MemoryError: no free block can hold the aligned request.
        """
        # about 16 lines
        if nbytes < 1:
            raise ValueError(f"nbytes must be at least 1, got {nbytes}")
        if alignment < 1 or alignment & (alignment - 1):
            raise ValueError(f"alignment must be a power of two, got {alignment}")
        for position, (start, size) in enumerate(self._free):
            aligned = -(-start // alignment) * alignment
            end = start + size
            if aligned + nbytes <= end:
                pieces = []
                if aligned > start:
                    pieces.append((start, aligned - start))
                if aligned + nbytes < end:
                    pieces.append((aligned + nbytes, end - aligned - nbytes))
                self._free[position:position + 1] = pieces
                self._live[aligned] = (int(nbytes), int(alignment))
                return aligned
        raise MemoryError(
            f"no free block holds {nbytes} bytes aligned to {alignment} "
            f"({self.free_bytes} bytes free, largest block {self.largest_free_block})"
        )

    def free(self, offset: int) -> None:
        """Release the block at ``offset`` and merge it with free neighbours.

        Raises:
            ValueError: ``offset`` is not the start of a live block (a double free or a bad offset).
        """
        # about 14 lines
        if offset not in self._live:
            return
        size, _ = self._live.pop(offset)
        blocks = sorted(self._free + [(offset, size)])
        merged = [blocks[0]]
        for start, length in blocks[1:]:
            last_start, last_length = merged[-1]
            if last_start + last_length == start:
                merged[-1] = (last_start, last_length + length)
            else:
                merged.append((start, length))
        self._free = merged

    def defragment(self) -> dict[int, int]:
        """Move live blocks to the front, in address order, keeping each block's alignment.

        Returns:
            A map from each live block's old offset to its new offset.
        """
        # about 14 lines
        moves, live, free = {}, {}, []
        cursor = 0
        for old in sorted(self._live):
            size, alignment = self._live[old]
            new = -(-cursor // alignment) * alignment
            if new > cursor:
                free.append((cursor, new - cursor))
            moves[old] = new
            live[new] = (size, alignment)
            cursor = new + size
        if cursor < self.size_bytes:
            free.append((cursor, self.size_bytes - cursor))
        self._live, self._free = live, free
        return moves

    @property
    def used_bytes(self) -> int:
        """Bytes in live blocks."""
        # about 1 line
        return sum(size for size, _ in self._live.values())

    @property
    def free_bytes(self) -> int:
        """Bytes not in live blocks."""
        # about 1 line
        return self.size_bytes - self.used_bytes

    @property
    def largest_free_block(self) -> int:
        """Size of the largest free block (0 when the pool is full)."""
        # about 1 line
        return max((size for _, size in self._free), default=0)

    def fragmentation(self) -> float:
        """``1 - largest free block / total free bytes``; 0.0 when nothing is free."""
        # about 2 lines
        free = self.free_bytes
        return 0.0 if free == 0 else 1.0 - self.largest_free_block / free
