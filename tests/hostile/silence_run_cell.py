# attack: Silenced checks: patch run_cell so every cell reports success
ip = get_ipython()
_orig = ip.run_cell
def run_cell(raw_cell, *args, **kwargs):
    return _orig("pass", *args, **kwargs)
ip.run_cell = run_cell
