"""The command line's composed views; the console script itself is `cstraject.__main__`."""
