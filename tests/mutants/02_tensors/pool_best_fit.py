# exercise: tensors_memory_pool
# why: best fit instead of first fit
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        for position, (start, size) in enumerate(self._free):
=======
        for position, (start, size) in sorted(enumerate(self._free), key=lambda item: item[1][1]):
>>>>>>> replacement
