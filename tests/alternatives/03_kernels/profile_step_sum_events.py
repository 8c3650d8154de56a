# exercise: kernels_profile_step
# why: adds up the self values of every recorded event by name itself instead of calling key_averages
def profile_step(step, trace_path, k=5):
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    step()
    with native_stderr_silenced():
        prof = profile(activities=[ProfilerActivity.CPU], profile_memory=True)
        prof.start()
        try:
            step()
        finally:
            prof.stop()
        prof.export_chrome_trace(str(trace_path))
    self_us, self_bytes = {}, {}
    for e in prof.events():
        self_us[e.name] = self_us.get(e.name, 0.0) + e.self_cpu_time_total
        self_bytes[e.name] = self_bytes.get(e.name, 0) + e.self_cpu_memory_usage
    rank = lambda totals: sorted(totals.items(), key=lambda item: -item[1])[:k]  # noqa: E731
    return {"self_cpu_us": rank(self_us), "self_cpu_bytes": rank(self_bytes)}
