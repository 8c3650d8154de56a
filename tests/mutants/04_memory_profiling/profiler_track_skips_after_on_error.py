# exercise: memory_profiler
# why: track logs after the block only when the block succeeds
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        try:
            yield
        finally:
            self.log_memory(f"{name}: after")
=======
        yield
        self.log_memory(f"{name}: after")
>>>>>>> replacement
