# exercise: memory_network
# why: the recomputation does not restore the random state, so dropout draws new masks in backward
#   and the gradients are those of a different network (right only with dropout off)
<<<<<<< reference
            x = checkpoint(block, x, use_reentrant=False)
=======
            x = checkpoint(block, x, use_reentrant=False, preserve_rng_state=False)
>>>>>>> replacement
