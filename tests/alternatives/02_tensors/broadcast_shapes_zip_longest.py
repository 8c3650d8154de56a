# exercise: tensors_broadcast_shapes
# why: walks the reversed shapes together with itertools.zip_longest
import itertools


def broadcast_shapes(*shapes):
    result = []
    for position, sizes in enumerate(itertools.zip_longest(*(reversed(s) for s in shapes), fillvalue=1)):
        others = {n for n in sizes if n != 1}
        if len(others) > 1:
            raise ValueError(f"axis {-(position + 1)}: sizes {sorted(others)} are incompatible")
        result.append(others.pop() if others else 1)
    return tuple(reversed(result))
