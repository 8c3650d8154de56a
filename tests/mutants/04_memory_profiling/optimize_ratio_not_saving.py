# exercise: memory_optimize
# why: improvement is optimized / baseline, not the fraction saved
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        "improvement": 1.0 - best / baseline,
=======
        "improvement": best / baseline,
>>>>>>> replacement
