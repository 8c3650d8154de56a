# exercise: capstone_fast_model
# why: torch's own F.rms_norm, the GELU through F.gelu, and the first block checkpointed
from torch.utils.checkpoint import checkpoint


class FastMLP(BaselineMLP):
    """BaselineMLP with the same parameters and results, faster and leaner."""

    def _block(self, x: torch.Tensor) -> torch.Tensor:
        h = F.gelu(self.fc1(x), approximate="tanh")
        return F.rms_norm(h, (h.shape[-1],), self.scale, RMS_EPS)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = checkpoint(self._block, x, use_reentrant=False)
        return self.fc3(F.gelu(self.fc2(h), approximate="tanh"))

    def loss(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return F.cross_entropy(self(x), y)
