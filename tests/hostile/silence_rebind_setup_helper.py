# attack: Silenced checks: rebind a helper a locked set-up cell defined and the grade cells call (here `close`), so a wrong answer passes; the grader puts `close` back before each grade cell
# expect: 0
# where: after fixture_hypot
def hypot(a, b):
    return 0.0


def close(x, y):
    return True
