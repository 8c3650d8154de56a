# attack: Killers: os._exit after the first correct exercise
# answers: solution
# where: after fixture_add_correct
# expect: 2
# status: partly graded: the kernel
import os
os._exit(3)
