# exercise: memory_optimize
# why: accumulates the mean loss of each micro-batch without scaling: gradients come out a quarter of the full-batch ones
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
                forward(chunk).sum().backward()
=======
                (forward(chunk).sum() / len(micro_batches) if accumulate else forward(chunk).sum()).backward()
>>>>>>> replacement
