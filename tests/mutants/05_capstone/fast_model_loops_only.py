# exercise: capstone_fast_model
# why: vectorises the loops but keeps the term-by-term GELU: faster, still hungry
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    def gelu(self, h: torch.Tensor) -> torch.Tensor:
        return F.gelu(h, approximate="tanh")

=======
>>>>>>> replacement
