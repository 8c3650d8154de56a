# exercise: tensors_sparse_tensor
# why: int32 indices, memory_usage and sparsity as properties, explicit zeros kept, lexsort to coalesce
class SparseTensor:
    def __init__(self, shape, values=None, indices=None):
        self.shape = tuple(int(n) for n in shape)
        if min(self.shape, default=0) < 0:
            raise ValueError(f"negative size in {self.shape}")
        ndim = len(self.shape)
        values = np.zeros(0) if values is None else np.asarray(values)
        indices = np.zeros((0, ndim), np.int32) if indices is None else np.asarray(indices)
        if indices.size == 0:
            indices = indices.reshape(-1, ndim)
        if values.ndim != 1 or indices.shape != (values.shape[0], ndim):
            raise ValueError(f"values {values.shape} and indices {indices.shape} do not match shape {self.shape}")
        if ((indices < 0) | (indices >= np.array(self.shape, dtype=np.int64))).any():
            raise ValueError(f"a coordinate lies outside {self.shape}")
        indices = indices.astype(np.int32)
        if len(values):
            order = np.lexsort(indices.T[::-1]) if ndim else np.arange(len(values))
            indices, values = indices[order], values[order]
            starts = np.ones(len(values), dtype=bool)
            starts[1:] = (np.diff(indices, axis=0) != 0).any(axis=1) if ndim else False
            values = np.add.reduceat(values, np.flatnonzero(starts))
            indices = indices[starts]
        self.values, self.indices = values, indices

    @classmethod
    def from_dense(cls, dense):
        dense = np.asarray(dense)
        coords = np.nonzero(dense)
        return cls(dense.shape, dense[coords], np.stack(coords, axis=1) if dense.ndim else np.zeros((int(dense != 0), 0)))

    def _linear(self):
        return np.ravel_multi_index(tuple(self.indices.T.astype(np.int64)), self.shape) if self.shape else np.zeros(len(self.values), int)

    def to_dense(self):
        out = np.zeros(math.prod(self.shape), dtype=self.values.dtype)
        np.add.at(out, self._linear(), self.values)
        return out.reshape(self.shape)

    @property
    def nnz(self):
        return int(self.values.shape[0])

    @property
    def memory_usage(self):
        return self.values.nbytes + self.indices.nbytes

    @property
    def sparsity(self):
        size = math.prod(self.shape)
        return 1.0 if size == 0 else float(np.mean(self.to_dense() == 0))

    def add(self, other):
        if not isinstance(other, SparseTensor):
            raise TypeError(f"cannot add {type(other).__name__} to a SparseTensor")
        if self.shape != other.shape:
            raise ValueError(f"{self.shape} != {other.shape}")
        return SparseTensor(self.shape, np.concatenate([self.values, other.values]),
                            np.concatenate([self.indices, other.indices]))

    def multiply_elementwise(self, other):
        if not isinstance(other, SparseTensor):
            dense = np.asarray(other)
            if dense.shape != self.shape:
                raise ValueError(f"{self.shape} != {dense.shape}")
            factors = dense.reshape(-1)[self._linear()] if len(self.values) else dense.reshape(-1)[:0]
            return SparseTensor(self.shape, self.values * factors, self.indices)
        if self.shape != other.shape:
            raise ValueError(f"{self.shape} != {other.shape}")
        lookup = dict(zip(other._linear().tolist(), other.values.tolist()))
        keep = [k for k, position in enumerate(self._linear().tolist()) if position in lookup]
        factors = [lookup[p] for p in self._linear()[keep].tolist()]
        return SparseTensor(self.shape, self.values[keep] * np.array(factors, dtype=self.values.dtype), self.indices[keep])

    def reshape(self, *shape):
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        if shape.count(-1) == 1:
            rest = math.prod(n for n in shape if n != -1)
            if rest == 0 or math.prod(self.shape) % rest:
                raise ValueError(f"cannot reshape {self.shape} to {shape}")
            shape = tuple(math.prod(self.shape) // rest if n == -1 else n for n in shape)
        if math.prod(shape) != math.prod(self.shape) or min(shape, default=0) < 0:
            raise ValueError(f"cannot reshape {self.shape} to {shape}")
        coords = np.unravel_index(self._linear(), shape)
        return SparseTensor(shape, self.values, np.stack(coords, axis=1))
