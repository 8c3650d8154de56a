# attack: Killers: exit() after the first correct exercise (ipykernel exits a moment later, so the
# next exercise may still run and earn its points: either way nothing earned is lost)
# answers: solution
# where: after fixture_add_correct
# expect: 2|5
# status: partly graded
exit()
