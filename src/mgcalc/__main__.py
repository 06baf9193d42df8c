"""Entry point of the ``mgcalc`` console script and of ``python -m mgcalc``."""

import gc
from typing import NoReturn


def main() -> NoReturn:
    """Import the command line with the cyclic garbage collector paused, then run it.

    Importing typer and the command line creates tens of thousands of objects that live as long
    as the process. Left alone, the collector walks them over and over while they are created,
    and once more at exit: about a sixth of a ``mgcalc dose`` call (bench/startup.py). Freezing
    them after the imports (``gc.freeze``, as the gc docs describe for long-lived objects) spares
    that; the collector is on again for everything the command itself creates.
    """
    gc.disable()
    try:
        from mgcalc.cli import main as run
    finally:
        gc.freeze()
        gc.enable()
    run()


if __name__ == "__main__":
    main()
