# exercise: capstone_record_trace
# why: forgets profile_memory=True, so the trace has no memory events
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
=======
        with profile(activities=[ProfilerActivity.CPU]) as prof:
>>>>>>> replacement
