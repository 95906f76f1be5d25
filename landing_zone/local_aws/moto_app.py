"""`python -m landing_zone.local_aws.moto_app --port N`: moto's server, on loopback.

A thin wrapper that installs our small in-process additions for calls moto
lacks (additions.py) before the server starts.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--host" not in argv and "-H" not in argv:
        argv += ["--host", "127.0.0.1"]
    from moto import server

    from .additions import install

    install()
    server.main(argv)


if __name__ == "__main__":
    main()
