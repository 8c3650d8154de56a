# exercise: memory_find_leak
# why: no warm-up: one-time caches count as growth
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    for _ in range(3):
        step_fn()
=======
>>>>>>> replacement
