# exercise: capstone_fast_model
# why: swaps in the exact (erf) GELU, which is not the baseline's tanh approximation
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        return F.gelu(h, approximate="tanh")
=======
        return F.gelu(h)
>>>>>>> replacement
