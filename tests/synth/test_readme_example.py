"""The README's construct example runs as written and makes what it says."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.synth
def test_readme_construct_example_synthesizes(synth_out, tmp_path, monkeypatch):  # synth_out: cdktf already imported
    block = re.search(r"```python\n(.*?)```", README.read_text(), re.S).group(1)
    # The jsii kernel keeps the working folder it started in: name the output folder.
    assert "app = App()" in block
    block = block.replace("app = App()", f"app = App(outdir={str(tmp_path / 'cdktf.out')!r})")
    exec(compile(block, "README.md", "exec"), {})
    stack = json.loads((tmp_path / "cdktf.out" / "stacks" / "org" / "cdk.tf.json").read_text())
    resources = stack["resource"]
    assert len(resources["aws_organizations_organizational_unit"]) == 3
    [account] = resources["aws_organizations_account"].values()
    assert account["name"] == "payments-prod" and account["lifecycle"]["prevent_destroy"] is True
    assert account["close_on_deletion"] is False
