# exercise: memory_profiler
# why: reset empties the log but keeps the old peak
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        self.memory_log = []
        self.peak_memory = 0.0

=======
        self.memory_log = []

>>>>>>> replacement
