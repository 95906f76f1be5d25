"""`python -m landing_zone.local_aws.moto_app --port N`: moto's server, on loopback.

A thin wrapper so that small in-process additions for calls moto lacks can be
installed before the server starts (see additions.py when there are any).
"""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--host" not in argv and "-H" not in argv:
        argv += ["--host", "127.0.0.1"]
    from moto import server
    server.main(argv)


if __name__ == "__main__":
    main()
