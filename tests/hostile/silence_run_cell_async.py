# attack: Silenced checks: patch run_cell_async (what ipykernel really calls) on the class
from IPython.core.interactiveshell import InteractiveShell
_orig = InteractiveShell.run_cell_async
async def run_cell_async(self, raw_cell, *args, **kwargs):
    return await _orig(self, "pass", *args, **kwargs)
InteractiveShell.run_cell_async = run_cell_async
type(get_ipython()).run_cell_async = run_cell_async
