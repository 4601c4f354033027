"""``python -m timeline``: the same command as the ``timeline`` console script."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
