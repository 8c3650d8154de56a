# exercise: memory_plot_timeline
# why: draws only the first run
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    for name, result in results.items():
=======
    for name, result in list(results.items())[:1]:
>>>>>>> replacement
