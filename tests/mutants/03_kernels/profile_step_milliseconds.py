# exercise: kernels_profile_step
# why: reports self time in milliseconds where the ranking promises microseconds
<<<<<<< reference
    by_time = sorted(((e.key, float(e.self_cpu_time_total)) for e in totals), key=lambda row: row[1], reverse=True)
=======
    by_time = sorted(((e.key, e.self_cpu_time_total / 1e3) for e in totals), key=lambda row: row[1], reverse=True)
>>>>>>> replacement
