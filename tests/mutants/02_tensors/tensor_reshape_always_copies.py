# exercise: tensors_tensor
# why: reshape always copies, even when a view is possible
class Tensor:
    """A strided view over a flat NumPy buffer. ``strides`` and ``offset`` count elements.

    ``Tensor(data)`` copies array-like ``data`` into a new C-ordered buffer. ``Tensor(buffer,
    shape, strides=None, offset=0)`` wraps an existing 1-D NumPy ``buffer`` without copying
    (``strides=None`` means C-ordered strides).
    """

    def __init__(self, data, shape=None, strides=None, offset: int = 0) -> None:
        if shape is None:
            array = np.array(data)
            self.buffer = array.reshape(-1)
            shape, strides, offset = array.shape, None, 0
        else:
            self.buffer = data
            if not isinstance(data, np.ndarray) or data.ndim != 1:
                raise ValueError("the buffer of a strided Tensor must be a 1-D NumPy array")
        self.shape = tuple(int(n) for n in shape)
        self.strides = self.c_strides(self.shape) if strides is None else tuple(int(s) for s in strides)
        self.offset = int(offset)
        if len(self.strides) != len(self.shape) or any(n < 0 for n in self.shape):
            raise ValueError(f"shape {self.shape} and strides {self.strides} do not describe a tensor")
        if self.size:
            low = self.offset + sum(s * (n - 1) for n, s in zip(self.shape, self.strides) if s < 0)
            high = self.offset + sum(s * (n - 1) for n, s in zip(self.shape, self.strides) if s > 0)
            if low < 0 or high >= len(self.buffer):
                raise ValueError(
                    f"shape {self.shape}, strides {self.strides}, offset {self.offset} reach elements "
                    f"{low}..{high}, outside a buffer of {len(self.buffer)}"
                )

    @staticmethod
    def c_strides(shape: Shape) -> Strides:
        """Row-major strides, in elements, for ``shape``."""
        strides, step = [], 1
        for n in reversed(shape):
            strides.append(step)
            step *= max(n, 1)
        return tuple(reversed(strides))

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return math.prod(self.shape)

    def __repr__(self) -> str:
        return f"Tensor(shape={self.shape}, strides={self.strides}, offset={self.offset})"

    def numpy(self) -> np.ndarray:
        """A new C-ordered NumPy array holding this tensor's elements."""
        # about 5 lines
        positions = np.full(self.shape, self.offset, dtype=np.int64)
        for axis, (n, stride) in enumerate(zip(self.shape, self.strides)):
            step_shape = [1] * self.ndim
            step_shape[axis] = n
            positions = positions + (np.arange(n, dtype=np.int64) * stride).reshape(step_shape)
        return np.array(self.buffer[positions.reshape(-1)].reshape(self.shape))

    def is_contiguous(self) -> bool:
        """True when the elements sit in row-major order without gaps (size-1 axes ignored)."""
        # about 7 lines
        if self.size == 0:
            return True
        expected = 1
        for n, stride in zip(reversed(self.shape), reversed(self.strides)):
            if n != 1 and stride != expected:
                return False
            expected *= n
        return True

    def transpose(self, *axes: int) -> "Tensor":
        """A view with the axes permuted; no axes reverses them.

        Raises:
            ValueError: ``axes`` is not a permutation of the tensor's axes.
        """
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        # about 7 lines
        if not axes:
            axes = tuple(range(self.ndim - 1, -1, -1))
        axes = tuple(int(a) for a in axes)
        if any(not -self.ndim <= a < self.ndim for a in axes) or sorted(
            a % self.ndim for a in axes
        ) != list(range(self.ndim)):
            raise ValueError(f"axes {axes} are not a permutation of {self.ndim} axes")
        axes = [a % self.ndim for a in axes]
        return Tensor(
            self.buffer, [self.shape[a] for a in axes], [self.strides[a] for a in axes], self.offset
        )

    def reshape(self, *shape: int) -> "Tensor":
        """The same elements in row-major order under a new shape; one size may be -1.

        A view over the same buffer when the tensor is contiguous, otherwise a copy.

        Raises:
            ValueError: the element count differs, or more than one size is -1.
        """
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        # about 12 lines
        shape = [int(n) for n in shape]
        if shape.count(-1) > 1:
            raise ValueError(f"only one size may be -1, got {tuple(shape)}")
        if -1 in shape:
            known = math.prod(n for n in shape if n != -1)
            if known == 0 or self.size % known:
                raise ValueError(f"cannot reshape {self.shape} to {tuple(shape)}")
            shape[shape.index(-1)] = self.size // known
        if math.prod(shape) != self.size or any(n < 0 for n in shape):
            raise ValueError(f"cannot reshape {self.shape} ({self.size} elements) to {tuple(shape)}")
        return Tensor(self.numpy().reshape(shape))

    def __getitem__(self, key) -> "Tensor":
        """A view selected by integers and slices, one per leading axis.

        Raises:
            IndexError: too many indices, or an integer out of bounds (the message names the axis).
            TypeError: an index that is neither an integer nor a slice.
        """
        if not isinstance(key, tuple):
            key = (key,)
        # about 20 lines
        if len(key) > self.ndim:
            raise IndexError(f"{len(key)} indices for a tensor with {self.ndim} axes")
        offset, shape, strides = self.offset, [], []
        for axis, (n, stride) in enumerate(zip(self.shape, self.strides)):
            item = key[axis] if axis < len(key) else slice(None)
            if isinstance(item, (int, np.integer)) and not isinstance(item, bool):
                i = int(item)
                if not -n <= i < n:
                    raise IndexError(f"index {i} is out of bounds for axis {axis} with size {n}")
                offset += (i % n) * stride
            elif isinstance(item, slice):
                start, stop, step = item.indices(n)
                length = len(range(start, stop, step))
                if length:
                    offset += start * stride
                shape.append(length)
                strides.append(stride * step)
            else:
                raise TypeError(f"index {item!r} on axis {axis}: only integers and slices are supported")
        return Tensor(self.buffer, shape, strides, offset)

    def __add__(self, other) -> "Tensor":
        """Elementwise sum with broadcasting; ``other`` is a Tensor or anything np.asarray accepts.

        Raises:
            ValueError: the shapes do not broadcast.
        """
        other = other if isinstance(other, Tensor) else Tensor(other)
        # about 9 lines
        shape = broadcast_shapes(self.shape, other.shape)

        def stretched(t):
            lead = len(shape) - t.ndim
            strides = [0] * lead + [
                0 if n == 1 and m != 1 else s for n, m, s in zip(t.shape, shape[lead:], t.strides)
            ]
            return Tensor(t.buffer, shape, strides, t.offset)

        return Tensor(stretched(self).numpy() + stretched(other).numpy())

    __radd__ = __add__

    def matmul(self, other) -> "Tensor":
        """Matrix product of two 2-D tensors.

        Raises:
            ValueError: an operand is not 2-D, or the inner sizes differ.
        """
        other = other if isinstance(other, Tensor) else Tensor(other)
        # about 6 lines
        if self.ndim != 2 or other.ndim != 2:
            raise ValueError(f"matmul needs two 2-D tensors, got shapes {self.shape} and {other.shape}")
        if self.shape[1] != other.shape[0]:
            raise ValueError(
                f"shapes {self.shape} and {other.shape}: inner sizes {self.shape[1]} and {other.shape[0]} differ"
            )
        return Tensor(self.numpy() @ other.numpy())

    def __matmul__(self, other) -> "Tensor":
        return self.matmul(other)
