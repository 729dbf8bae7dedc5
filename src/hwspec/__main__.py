"""``python -m hwspec``: the same command line as the ``hwspec`` script."""

from hwspec.cli import main

if __name__ == "__main__":
    main()
