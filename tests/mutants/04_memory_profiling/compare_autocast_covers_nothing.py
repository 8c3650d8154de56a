# exercise: memory_compare_strategies
# why: autocast entered and left before the forward runs, so nothing is in bfloat16
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
            output = model(input_tensor)
=======
            pass
        output = model(input_tensor)
>>>>>>> replacement
