# exercise: capstone_fast_model
# why: fuses the GELU but keeps the Python loops over rows: leaner, not faster
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    def rms_norm(self, h: torch.Tensor) -> torch.Tensor:
        return h * torch.rsqrt(h.pow(2).mean(dim=-1, keepdim=True) + RMS_EPS) * self.scale

    def loss(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return F.cross_entropy(self(x), y)
=======
>>>>>>> replacement
