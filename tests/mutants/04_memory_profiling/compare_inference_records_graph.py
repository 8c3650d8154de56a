# exercise: memory_compare_strategies
# why: the inference pass records a graph: no inference_mode or no_grad
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        with torch.inference_mode():
            model(input_tensor)
=======
        model(input_tensor)
>>>>>>> replacement
