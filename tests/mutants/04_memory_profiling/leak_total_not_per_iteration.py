# exercise: memory_find_leak
# why: reports the total growth instead of the growth per iteration
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    growth = sum(stat.size_diff for stat in stats) / iterations
=======
    growth = sum(stat.size_diff for stat in stats)
>>>>>>> replacement
