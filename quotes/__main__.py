"""``python -m quotes`` and the ``quotes`` command: the command line, with ``--version`` answered before
click (or anything else) is imported."""
import sys

from quotes import __version__


class Interrupted(BaseException):
    """Ctrl-C or SIGTERM: unwinds like KeyboardInterrupt (each open transaction rolls back, workers are
    ended), but is not caught by click, which would print "Aborted!" and exit 1."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _interrupt(signum, frame):
    raise Interrupted(signum)


def run() -> None:
    if sys.argv[1:] == ["--version"]:  # what click's version option prints
        print(f"quotes, version {__version__}")
        return
    import signal

    from quotes.cli import main

    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        main(prog_name="quotes")
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


if __name__ == "__main__":
    run()
