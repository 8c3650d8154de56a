# attack: Killers: exit() after the first correct exercise
# answers: solution
# where: after fixture_add_correct
# expect: 2
# status: partly graded
exit()
