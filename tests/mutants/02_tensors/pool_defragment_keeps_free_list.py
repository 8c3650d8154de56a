# exercise: tensors_memory_pool
# why: defragment renumbers the live blocks but leaves the old free list in place
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        self._live, self._free = live, free
=======
        self._live = live
>>>>>>> replacement
