# exercise: capstone_fast_model
# why: normalises by the root mean square over the batch axis instead of over each row
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
        return h * torch.rsqrt(h.pow(2).mean(dim=-1, keepdim=True) + RMS_EPS) * self.scale
=======
        return h * torch.rsqrt(h.pow(2).mean(dim=0, keepdim=True) + RMS_EPS) * self.scale
>>>>>>> replacement
