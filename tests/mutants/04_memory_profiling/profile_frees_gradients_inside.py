# exercise: memory_profile_network
# why: sets .grad to None inside the measured step, so the old gradients are freed on the step's account
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    def step() -> None:
        with record_function("forward"):
=======
    def step() -> None:
        model.zero_grad(set_to_none=True)
        with record_function("forward"):
>>>>>>> replacement
<<<<<<< reference
    model.zero_grad(set_to_none=True)
=======
>>>>>>> replacement
