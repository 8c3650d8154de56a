# exercise: tensors_memory_pool
# why: free never merges adjacent free blocks
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
            if last_start + last_length == start:
=======
            if False:
>>>>>>> replacement
