"""``python -m quotes`` and the ``quotes`` command: the command line, with ``--version`` answered before
click (or anything else) is imported."""
import os
import sys

from quotes import __version__


class Interrupted(BaseException):
    """Ctrl-C or SIGTERM: unwinds like KeyboardInterrupt (each open transaction rolls back, workers are
    ended), but is not caught by click, which would print "Aborted!" and exit 1."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


#: The process that installed _interrupt: a worker forked from it keeps the handler until it sets its own.
_main_pid = 0


def _interrupt(signum, frame):
    if os.getpid() != _main_pid:  # a worker told to end before it set its own handlers: it ends, quietly
        os._exit(128 + signum)
    raise Interrupted(signum)


def run() -> None:
    """Run the command line; output cut short by its reader (``quotes list | head -1``) is no error."""
    if sys.argv[1:] in (["--version"], ["-V"]):  # what click's version option prints
        try:
            print(f"quotes, version {__version__}", flush=True)
        except BrokenPipeError:
            _drop_stdout()
        return
    import signal

    from quotes.startup import defer_full_collections

    defer_full_collections()
    from quotes.cli import main

    global _main_pid
    _main_pid = os.getpid()
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        main(prog_name="quotes")  # always ends in SystemExit; a broken pipe inside a command is handled there
    except SystemExit as done:
        _flush()
        raise done
    except Interrupted as exc:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C does not interrupt the goodbye
        name = "interrupted" if exc.signum == signal.SIGINT else "terminated"
        print(f"\nquotes: {name}; what was done is kept, what was unfinished is rolled back", file=sys.stderr)
        sys.exit(128 + exc.signum)
    except Exception as exc:
        # A database error no command turned into its own message (a lock held past every retry, a
        # read-only or damaged file): one line, not a traceback. SQLAlchemy is only imported if used.
        errors = sys.modules.get("sqlalchemy.exc")
        if errors is None or not isinstance(exc, errors.SQLAlchemyError):
            raise
        reason = getattr(exc, "orig", None) or exc
        print(f"Error: database: {str(reason).splitlines()[0]}", file=sys.stderr)
        sys.exit(1)


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
