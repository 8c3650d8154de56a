# exercise: memory_optimize
# why: the "optimized" step is a forward pass under no_grad, not a training step
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
            for chunk in micro_batches if accumulate else (input_tensor,):
                forward(chunk).sum().backward()
=======
            with torch.no_grad():
                forward(input_tensor)
>>>>>>> replacement
