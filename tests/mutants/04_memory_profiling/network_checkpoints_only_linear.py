# exercise: memory_network
# why: checkpoints only the Linear; GELU and dropout outside still store every activation
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
            x = checkpoint(block, x, use_reentrant=False)
=======
            x = block[2](block[1](checkpoint(block[0], x, use_reentrant=False)))
>>>>>>> replacement
