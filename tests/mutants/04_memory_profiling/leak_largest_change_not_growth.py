# exercise: memory_find_leak
# why: the top site is the line with the largest change, which may be a line that shrank
<<<<<<< reference
    top = max(stats, key=lambda stat: stat.size_diff, default=None)
    site = None
    if top is not None and top.size_diff > 0:
=======
    top = max(stats, key=lambda stat: abs(stat.size_diff), default=None)
    site = None
    if top is not None and top.size_diff != 0:
>>>>>>> replacement
