# exercise: capstone_record_trace
# why: starts and stops the profiler explicitly, records shapes too, and exports to a str path
def record_trace(step: Callable[[], Any], path: str | Path) -> Path:
    """Run step() once under torch.profiler and export a Chrome trace with memory events."""
    prof = torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU],
                                  profile_memory=True, record_shapes=True)
    with native_stderr_silenced():
        prof.start()
        try:
            step()
        finally:
            prof.stop()
        prof.export_chrome_trace(os.fspath(path))
    return Path(path)
