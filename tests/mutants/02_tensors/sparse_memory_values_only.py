# exercise: tensors_sparse_tensor
# why: memory_usage forgets the indices
class SparseTensor:
    """A tensor that stores only its nonzero entries, in coalesced COO form.

    Attributes:
        shape: the dense shape.
        values: array of shape (nnz,), the stored values.
        indices: int array of shape (nnz, ndim), one row of coordinates per value.
    """

    def __init__(self, shape: Shape, values=None, indices=None) -> None:
        """Build from coordinates; duplicates are summed, zero values may be dropped.

        Raises:
            ValueError: only one of values/indices given, their lengths differ, ``indices`` does
                not have one column per axis, a coordinate is out of bounds, or a size is negative.
        """
        # about 25 lines
        shape = tuple(int(n) for n in shape)
        if any(n < 0 for n in shape):
            raise ValueError(f"shape {shape} has a negative size")
        if (values is None) != (indices is None):
            raise ValueError("give both values and indices, or neither")
        if values is None:
            values, indices = np.zeros(0), np.zeros((0, len(shape)), dtype=np.int64)
        values = np.asarray(values)
        indices = np.asarray(indices)
        if values.ndim != 1:
            raise ValueError(f"values must be 1-D, got shape {values.shape}")
        if len(values) == 0 and indices.size == 0:
            indices = indices.reshape(0, len(shape))
        if indices.ndim != 2 or indices.shape != (len(values), len(shape)):
            raise ValueError(
                f"indices must have shape (nnz, ndim) = ({len(values)}, {len(shape)}), got {indices.shape}"
            )
        if indices.size and not np.issubdtype(indices.dtype, np.integer):
            raise ValueError(f"indices must be integers, got dtype {indices.dtype}")
        indices = indices.astype(np.int64)
        outside = (indices < 0) | (indices >= np.array(shape, dtype=np.int64))
        if outside.any():
            row = int(np.argwhere(outside)[0, 0])
            raise ValueError(f"coordinate {tuple(indices[row])} is out of bounds for shape {shape}")
        flat = self._flat(indices, shape)
        unique, inverse = np.unique(flat, return_inverse=True)
        summed = np.zeros(len(unique), dtype=values.dtype)
        np.add.at(summed, inverse, values)
        keep = summed != 0
        self.shape = shape
        self.values = summed[keep]
        self.indices = self._coordinates(unique[keep], shape)

    @staticmethod
    def _flat(indices: np.ndarray, shape: Shape) -> np.ndarray:
        """Row-major positions of the coordinate rows in ``indices``."""
        if len(shape) == 0:
            return np.zeros(len(indices), dtype=np.int64)
        return np.ravel_multi_index(tuple(indices.T), shape).astype(np.int64)

    @staticmethod
    def _coordinates(flat: np.ndarray, shape: Shape) -> np.ndarray:
        """Coordinate rows, shape (len(flat), ndim), of the row-major positions ``flat``."""
        if len(shape) == 0:
            return np.zeros((len(flat), 0), dtype=np.int64)
        return np.stack(np.unravel_index(np.asarray(flat, dtype=np.int64), shape), axis=1).astype(np.int64)

    @classmethod
    def from_dense(cls, dense: np.ndarray) -> "SparseTensor":
        """The sparse form of ``dense``, keeping its nonzero entries."""
        # about 3 lines
        dense = np.asarray(dense)
        mask = dense != 0
        return cls(dense.shape, dense[mask], np.argwhere(mask))

    def to_dense(self) -> np.ndarray:
        """A dense array of ``shape`` with the stored values in place and zeros elsewhere."""
        # about 3 lines
        dense = np.zeros(math.prod(self.shape), dtype=self.values.dtype)
        dense[self._flat(self.indices, self.shape)] = self.values
        return dense.reshape(self.shape)

    @property
    def nnz(self) -> int:
        """Number of stored entries."""
        # about 1 line
        return len(self.values)

    def memory_usage(self) -> int:
        """Bytes held by the stored values and indices."""
        # about 1 line
        return int(self.values.nbytes)

    def sparsity(self) -> float:
        """Fraction of entries that are zero; 1.0 for a tensor with no entries at all."""
        # about 3 lines
        size = math.prod(self.shape)
        return 1.0 if size == 0 else 1.0 - self.nnz / size

    def add(self, other: "SparseTensor") -> "SparseTensor":
        """Elementwise sum with another sparse tensor of the same shape.

        Raises:
            TypeError: ``other`` is not a SparseTensor.
            ValueError: the shapes differ.
        """
        # about 6 lines
        if not isinstance(other, SparseTensor):
            raise TypeError(f"can only add a SparseTensor, got {type(other).__name__}")
        if other.shape != self.shape:
            raise ValueError(f"shapes {self.shape} and {other.shape} differ")
        values = np.concatenate([self.values, other.values])
        return SparseTensor(self.shape, values, np.concatenate([self.indices, other.indices]))

    def multiply_elementwise(self, other: "SparseTensor") -> "SparseTensor":
        """Elementwise product with another sparse tensor (or a dense array) of the same shape.

        Raises:
            ValueError: the shapes differ.
        """
        # about 10 lines
        if not isinstance(other, SparseTensor):
            other_dense = np.asarray(other)
            if other_dense.shape != self.shape:
                raise ValueError(f"shapes {self.shape} and {other_dense.shape} differ")
            flat = self._flat(self.indices, self.shape)
            return SparseTensor(self.shape, self.values * other_dense.reshape(-1)[flat], self.indices)
        if other.shape != self.shape:
            raise ValueError(f"shapes {self.shape} and {other.shape} differ")
        mine, theirs = self._flat(self.indices, self.shape), other._flat(other.indices, other.shape)
        common, i, j = np.intersect1d(mine, theirs, assume_unique=True, return_indices=True)
        return SparseTensor(self.shape, self.values[i] * other.values[j], self.indices[i])

    def reshape(self, *shape: int) -> "SparseTensor":
        """The same entries under a new shape, in row-major order; one -1 is inferred.

        Raises:
            ValueError: the new shape has a different number of elements.
        """
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        # about 10 lines
        shape = [int(n) for n in shape]
        size = math.prod(self.shape)
        if shape.count(-1) > 1:
            raise ValueError(f"only one size may be -1, got {tuple(shape)}")
        if -1 in shape:
            known = math.prod(n for n in shape if n != -1)
            if known == 0 or size % known:
                raise ValueError(f"cannot reshape {self.shape} to {tuple(shape)}")
            shape[shape.index(-1)] = size // known
        if math.prod(shape) != size or any(n < 0 for n in shape):
            raise ValueError(f"cannot reshape {self.shape} ({size} elements) to {tuple(shape)}")
        flat = self._flat(self.indices, self.shape)
        return SparseTensor(tuple(shape), self.values, self._coordinates(flat, tuple(shape)))

    def __repr__(self) -> str:
        return f"SparseTensor(shape={self.shape}, nnz={len(self.values)})"
