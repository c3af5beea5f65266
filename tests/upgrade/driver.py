"""`python -m tests.upgrade.driver ARGS`: the stackpacks CLI with fixture packs 2-3 available.

The interruption tests run it as a subprocess so that it can be SIGKILLed.
"""

from __future__ import annotations

from stackpacks.cli import main
from tests.upgrade.support import make_available

if __name__ == "__main__":
    make_available(2, 3)
    main()
