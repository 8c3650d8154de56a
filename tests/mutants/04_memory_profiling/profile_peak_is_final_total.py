# exercise: memory_profile_network
# why: reports the memory held at the end of the step as the peak
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        "peak_memory": max((mb for _, mb in timeline), default=0.0),
=======
        "peak_memory": timeline[-1][1] if timeline else 0.0,
>>>>>>> replacement
