# exercise: tensors_memory_pool
# why: a double free or an unknown offset is silently ignored
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
            raise ValueError(f"offset {offset} is not a live allocation (double free or unknown offset)")
=======
            return
>>>>>>> replacement
