# exercise: memory_profiler
# why: the peak always follows the CPU reading, also on CUDA where the GPU reading is the one that matters
<<<<<<< reference
        key = "gpu_memory" if self.device == "cuda" else "cpu_memory"
=======
        key = "cpu_memory"
>>>>>>> replacement
