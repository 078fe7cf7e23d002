"""``python -m quotes`` and the ``quotes`` command: the command line, with ``--version`` answered before
click (or anything else) is imported."""
import sys

from quotes import __version__


def run() -> None:
    if sys.argv[1:] == ["--version"]:  # what click's version option prints
        print(f"quotes, version {__version__}")
        return
    from quotes.cli import main

    main(prog_name="quotes")


if __name__ == "__main__":
    run()
