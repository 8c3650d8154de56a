# attack: Forging: a wrong answer publishes an execute_result from inside the grade cell, which nbgrader reads as full marks
# where: after fixture_hypot
def _claim():
    k = get_ipython().kernel
    k.session.send(k.iopub_socket, "execute_result", {"data": {"text/plain": "full marks"},
                   "metadata": {}, "execution_count": 1}, parent=k.get_parent())
def add(a, b):
    _claim()
    return 0
def hypot(a, b):
    _claim()
    return 0.0
