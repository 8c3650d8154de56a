# exercise: tensors_memory_pool
# why: fragmentation computed as largest / total instead of 1 - largest / total
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        return 0.0 if free == 0 else 1.0 - self.largest_free_block / free
=======
        return 0.0 if free == 0 else self.largest_free_block / free
>>>>>>> replacement
