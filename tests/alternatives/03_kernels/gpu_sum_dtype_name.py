# exercise: kernels_gpu_sum
# why: names the dtype by its long name ('str32') rather than its code ('<U1')
<<<<<<< reference
        raise TypeError(f"dtype {x.dtype}: expected booleans, integers or floats")
=======
        raise TypeError(f"cannot sum an array of {x.dtype.name}")
>>>>>>> replacement
