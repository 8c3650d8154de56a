# exercise: memory_find_leak
# why: stops tracemalloc even when the caller had started it
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        if started_here:
            tracemalloc.stop()
=======
        tracemalloc.stop()
>>>>>>> replacement
