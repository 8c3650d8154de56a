# exercise: memory_profiler
# why: reads RSS in MiB (2**20 bytes) instead of MB (10**6 bytes): 4.6% low
<<<<<<< reference
        usage = {"cpu_memory": psutil.Process().memory_info().rss / BYTES_PER_MB}
=======
        usage = {"cpu_memory": psutil.Process().memory_info().rss / 2**20}
>>>>>>> replacement
