# exercise: tensors_tensor
# why: numpy() through as_strided, contiguity by comparing with C strides, getitem via range objects
class Tensor:
    def __init__(self, data, shape=None, strides=None, offset=0):
        if shape is None:
            array = np.array(data)
            self.buffer = array.reshape(-1)
            shape, strides, offset = array.shape, None, 0
        else:
            self.buffer = data
        self.shape = tuple(int(n) for n in shape)
        self.strides = self.c_strides(self.shape) if strides is None else tuple(int(s) for s in strides)
        self.offset = int(offset)

    @staticmethod
    def c_strides(shape):
        strides, step = [], 1
        for n in reversed(shape):
            strides.append(step)
            step *= max(n, 1)
        return tuple(reversed(strides))

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def size(self):
        return math.prod(self.shape)

    def numpy(self):
        item = self.buffer.strides[0]
        start = self.buffer[self.offset:] if self.size else self.buffer[:0]
        view = np.lib.stride_tricks.as_strided(start, self.shape, [s * item for s in self.strides])
        return np.ascontiguousarray(view).copy()

    def is_contiguous(self):
        return self.size == 0 or all(
            n == 1 or s == c for n, s, c in zip(self.shape, self.strides, self.c_strides(self.shape))
        )

    def transpose(self, *axes):
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        axes = axes or tuple(reversed(range(self.ndim)))
        if sorted(axes) != list(range(self.ndim)):
            raise ValueError(f"bad axes {axes}")
        return Tensor(self.buffer, [self.shape[a] for a in axes], [self.strides[a] for a in axes], self.offset)

    def reshape(self, *shape):
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        shape = list(shape)
        if shape.count(-1) == 1:
            rest = math.prod(n for n in shape if n != -1)
            shape[shape.index(-1)] = self.size // rest if rest else 0
        if shape.count(-1) or math.prod(shape) != self.size:
            raise ValueError(f"cannot reshape {self.shape} into {tuple(shape)}")
        if self.is_contiguous():
            return Tensor(self.buffer, shape, None, self.offset)
        return Tensor(self.numpy().reshape(shape))

    def __getitem__(self, key):
        key = key if isinstance(key, tuple) else (key,)
        if len(key) > self.ndim:
            raise IndexError("too many indices")
        key = key + (slice(None),) * (self.ndim - len(key))
        offset, shape, strides = self.offset, [], []
        for axis, (k, n, s) in enumerate(zip(key, self.shape, self.strides)):
            positions = range(n)[k]
            if isinstance(k, slice):
                if len(positions):
                    offset += positions[0] * s
                shape.append(len(positions))
                strides.append(positions.step * s)
            else:
                offset += positions * s
        return Tensor(self.buffer, shape, strides, offset)

    def __add__(self, other):
        other = other if isinstance(other, Tensor) else Tensor(other)
        a, b = np.broadcast_arrays(self.numpy(), other.numpy())
        return Tensor(a + b)

    def matmul(self, other):
        other = other if isinstance(other, Tensor) else Tensor(other)
        if self.ndim != 2 or other.ndim != 2 or self.shape[1] != other.shape[0]:
            raise ValueError(f"cannot multiply {self.shape} by {other.shape}")
        return Tensor(np.matmul(self.numpy(), other.numpy()))
