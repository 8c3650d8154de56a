# exercise: memory_plot_timeline
# why: no legend: the runs cannot be told apart
# A patch of the reference answer: each block's reference lines are replaced.
<<<<<<< reference
    ax.legend(loc="upper right", fontsize="small")
=======
>>>>>>> replacement
