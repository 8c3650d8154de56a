# exercise: memory_compare_strategies
# why: reports the total time of the timed rounds, not the time of one step
<<<<<<< reference
        name: {"peak_memory": peaks_mb[name], "time_ms": statistics.median(times_s[name]) * 1e3}
=======
        name: {"peak_memory": peaks_mb[name], "time_ms": sum(times_s[name]) * 1e3}
>>>>>>> replacement
