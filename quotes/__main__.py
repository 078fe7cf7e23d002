"""``python -m quotes`` and the ``quotes`` command: the command line, with ``--version`` answered before
click (or anything else) is imported."""
import sys

from quotes import __version__


def run() -> None:
    """Run the command line; output cut short by its reader (``quotes list | head -1``) is no error."""
    if sys.argv[1:] in (["--version"], ["-V"]):  # what click's version option prints
        try:
            print(f"quotes, version {__version__}", flush=True)
        except BrokenPipeError:
            _drop_stdout()
        return
    from quotes.cli import main

    try:
        main(prog_name="quotes")  # always ends in SystemExit; a broken pipe inside a command is handled there
    except SystemExit as done:
        _flush()
        raise done


def _flush() -> None:
    """Flush stdout now, so that a reader that went away before the last buffered rows costs no error
    at exit (the Python docs' "Note on SIGPIPE")."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _drop_stdout()


def _drop_stdout() -> None:
    from quotes.cli.base import drop_stdout  # click: only when the pipe broke

    drop_stdout()


if __name__ == "__main__":
    run()
