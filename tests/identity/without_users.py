"""The example environment without its `identity.users` (an external identity source refuses users)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "environments" / "example.yaml"


def example_without_users(folder: Path) -> Path:
    """A copy of the example (and its account requests) in `folder`, with the users block removed."""
    text = re.sub(r"\n  users:.*?\n(?=\n)", "\n", EXAMPLE.read_text(), count=1, flags=re.S)
    assert "user_name:" not in text
    path = folder / "example.yaml"
    path.write_text(text)
    requests = EXAMPLE.parent / EXAMPLE.stem / "accounts"
    if requests.is_dir() and not (folder / "example" / "accounts").exists():
        shutil.copytree(requests, folder / "example" / "accounts")
    return path
