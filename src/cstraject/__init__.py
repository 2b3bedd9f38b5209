"""cstraject: runs VLAIO's cybersecurity improvement trajectories and answers for them."""

__version__ = "0.1.0"
