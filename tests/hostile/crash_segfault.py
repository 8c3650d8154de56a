# attack: Killers: a segmentation fault after the first correct exercise
# answers: solution
# where: after fixture_add_correct
# expect: 2
# status: partly graded: the kernel was killed by SIGSEGV
import ctypes
ctypes.string_at(0)
