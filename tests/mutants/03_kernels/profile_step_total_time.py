# exercise: kernels_profile_step
# why: ranks by total time and memory, which counts the operators each one calls and puts wrappers on top
<<<<<<< reference
    by_time = sorted(((e.key, float(e.self_cpu_time_total)) for e in totals), key=lambda row: row[1], reverse=True)
    by_bytes = sorted(((e.key, float(e.self_cpu_memory_usage)) for e in totals), key=lambda row: row[1], reverse=True)
=======
    by_time = sorted(((e.key, float(e.cpu_time_total)) for e in totals), key=lambda row: row[1], reverse=True)
    by_bytes = sorted(((e.key, float(e.cpu_memory_usage)) for e in totals), key=lambda row: row[1], reverse=True)
>>>>>>> replacement
