# exercise: memory_network
# why: reentrant checkpointing with an input that needs no gradient: the first block gets no gradient
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
            x = checkpoint(block, x, use_reentrant=False)
=======
            x = checkpoint(block, x, use_reentrant=True)
>>>>>>> replacement
