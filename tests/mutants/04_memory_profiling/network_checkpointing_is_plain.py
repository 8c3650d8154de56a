# exercise: memory_network
# why: forward_with_checkpointing runs the plain pass: every activation is stored
class LargeNeuralNetwork(nn.Module):
    """An MLP of Linear-GELU-Dropout blocks and a final Linear, with an optional checkpointed pass.

    Args:
        input_size: features per input row.
        hidden_sizes: width of each hidden block.
        output_size: outputs per row.
        dropout: dropout probability after each hidden block's activation.
    """

    def __init__(
        self,
        input_size: int = 1000,
        hidden_sizes: Sequence[int] = (2000, 2000, 2000),
        output_size: int = 100,
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        widths = [input_size, *hidden_sizes]
        self.blocks = nn.ModuleList(
            nn.Sequential(nn.Linear(n_in, n_out), nn.GELU(), nn.Dropout(dropout))
            for n_in, n_out in zip(widths[:-1], widths[1:])
        )
        self.head = nn.Linear(widths[-1], output_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The plain forward pass: every block, then the head."""
        # about 3 lines
        for block in self.blocks:
            x = block(x)
        return self.head(x)

    def forward_with_checkpointing(self, x: torch.Tensor) -> torch.Tensor:
        """The same computation, each hidden block checkpointed (non-reentrant)."""
        # about 3 lines
        for block in self.blocks:
            x = block(x)
        return self.head(x)
