# exercise: capstone_record_trace
# why: runs a warm-up step inside the profiler, so the trace holds two steps
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
            step()
=======
            step()
            step()
>>>>>>> replacement
