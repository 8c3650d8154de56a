# exercise: kernels_profile_step
# why: records without profile_memory=True, so there are no memory events and every byte count is 0
<<<<<<< reference
        with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
=======
        with profile(activities=[ProfilerActivity.CPU]) as prof:
>>>>>>> replacement
