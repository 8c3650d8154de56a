# attack: Resources: a notebook file over the size limit, to make the grader parse it
# status: not graded: the notebook is
# pad: 3000000
pass
