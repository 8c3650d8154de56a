# exercise: kernels_profile_step
# why: runs the warm-up inside the profiler too, so the trace holds two steps
<<<<<<< reference
    step()
    with native_stderr_silenced():
        with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
            step()
=======
    with native_stderr_silenced():
        with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
            step()
            step()
>>>>>>> replacement
