# exercise: memory_profiler
# why: the peak is never raised by log_memory, so it stays 0
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        self.peak_memory = max(self.peak_memory, entry[key])
=======
>>>>>>> replacement
