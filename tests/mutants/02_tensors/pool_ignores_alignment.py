# exercise: tensors_memory_pool
# why: ignores the alignment and packs blocks back to back
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
            aligned = -(-start // alignment) * alignment
=======
            aligned = start
>>>>>>> replacement
