# exercise: memory_compare_strategies
# why: adds up the micro-batch losses and calls backward once: every graph stays alive
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        for chunk in input_tensor.chunk(4):
            model(chunk).sum().backward()
=======
        loss = sum(model(chunk).sum() for chunk in input_tensor.chunk(4))
        loss.backward()
>>>>>>> replacement
