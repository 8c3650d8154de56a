# exercise: memory_profiler
# why: cpu_memory is RSS in bytes, not MB
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        usage = {"cpu_memory": psutil.Process().memory_info().rss / BYTES_PER_MB}
=======
        usage = {"cpu_memory": float(psutil.Process().memory_info().rss)}
>>>>>>> replacement
