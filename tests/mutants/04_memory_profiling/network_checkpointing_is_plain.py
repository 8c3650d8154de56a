# exercise: memory_network
# why: forward_with_checkpointing runs the plain pass: every activation is stored
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
            x = checkpoint(block, x, use_reentrant=False)
=======
            x = block(x)
>>>>>>> replacement
