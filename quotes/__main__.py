"""``python -m quotes`` and the ``quotes`` command: the command line, with ``--version`` answered before
click (or anything else) is imported."""
import sys

from quotes import __version__


def run() -> None:
    if sys.argv[1:] == ["--version"]:  # what click's version option prints
        print(f"quotes, version {__version__}")
        return
    from quotes.cli import main

    try:
        main(prog_name="quotes")
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
