# attack: Silenced checks: set_custom_exc plus a post_run_cell hook that clears the error
ip = get_ipython()
ip.set_custom_exc((BaseException,), lambda shell, etype, evalue, tb, tb_offset=None: None)
def _clear(result):
    result.error_in_exec = None
ip.events.register("post_run_cell", _clear)
