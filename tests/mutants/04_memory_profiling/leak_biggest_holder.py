# exercise: memory_find_leak
# why: names the line holding the most memory (statistics of one snapshot), not the line that grew
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    top = max(stats, key=lambda stat: stat.size_diff, default=None)
=======
    holders = after.filter_traces(own).statistics("lineno")
    top = holders[0] if holders else None
>>>>>>> replacement
<<<<<<< reference
    if top is not None and top.size_diff > 0:
=======
    if top is not None:
>>>>>>> replacement
