# exercise: memory_profile_network
# why: never resets .grad, so a second call adds into existing gradients and does not count them
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    model.zero_grad(set_to_none=True)
=======
>>>>>>> replacement
