# exercise: memory_network
# why: checkpoint_sequential over segments of two blocks (its last segment runs uncheckpointed)
from torch.utils.checkpoint import checkpoint_sequential


class LargeNeuralNetwork(nn.Module):
    def __init__(self, input_size=1000, hidden_sizes=(2000, 2000, 2000), output_size=100, dropout=0.1):
        super().__init__()
        widths = [input_size, *hidden_sizes]
        self.blocks = nn.ModuleList(
            nn.Sequential(nn.Linear(n_in, n_out), nn.GELU(), nn.Dropout(dropout))
            for n_in, n_out in zip(widths[:-1], widths[1:])
        )
        self.head = nn.Linear(widths[-1], output_size)

    def forward(self, x):
        return self.head(nn.Sequential(*self.blocks)(x))

    def forward_with_checkpointing(self, x):
        segments = max(1, (len(self.blocks) + 1) // 2)
        hidden = checkpoint_sequential(nn.Sequential(*self.blocks), segments, x, use_reentrant=False)
        return self.head(hidden)
