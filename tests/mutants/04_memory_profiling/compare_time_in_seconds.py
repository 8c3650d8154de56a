# exercise: memory_compare_strategies
# why: reports seconds under the name time_ms
<<<<<<< reference
        name: {"peak_memory": peaks_mb[name], "time_ms": statistics.median(times_s[name]) * 1e3}
=======
        name: {"peak_memory": peaks_mb[name], "time_ms": statistics.median(times_s[name])}
>>>>>>> replacement
