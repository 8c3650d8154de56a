# exercise: memory_optimize
# why: measures each strategy while the previous step's gradients still exist, so backward adds
#   into them and every strategy after the baseline looks cheaper than it is
<<<<<<< reference
        model.zero_grad(set_to_none=True)
        return peak_bytes(step, device=device) / BYTES_PER_MB
=======
        return peak_bytes(step, device=device) / BYTES_PER_MB
>>>>>>> replacement
