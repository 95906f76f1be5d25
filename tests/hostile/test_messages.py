"""Messages (issue 23 A.10): --strict says which warnings it made errors; 'root' is a reserved OU name."""

from __future__ import annotations

from pathlib import Path

import pytest

from landing_zone.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "config" / "fixtures" / "bad"


@pytest.mark.parametrize("fixture", ["doc_domain_email", "network_blackhole_live"])
def test_strict_names_each_warning_it_made_an_error(capsys, fixture):
    assert main(["validate", str(BAD / f"{fixture}.yaml")]) == 0
    assert "warning: " in capsys.readouterr().err
    assert main(["validate", "--strict", str(BAD / f"{fixture}.yaml")]) == 2
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if f"{fixture}.yaml:" in line]
    assert lines and all(line.endswith("[a warning; --strict makes it an error]") for line in lines)
    assert "warning: " not in err and err.strip().endswith(f"{len(lines)} error(s), 0 warning(s)")


def test_strict_leaves_real_errors_as_they_are(capsys):
    assert main(["validate", "--strict", str(BAD / "bad_email.yaml")]) == 2
    assert "--strict makes it an error" not in capsys.readouterr().err


@pytest.mark.parametrize("name", ["root", "Root", "ROOT", "root/Child"])
def test_root_is_a_reserved_ou_name(tmp_path, capsys, name):
    text = (ROOT / "tests" / "config" / "fixtures" / "good" / "minimal.yaml").read_text()
    path = tmp_path / "env.yaml"
    path.write_text(text.replace("  - path: Security\n", f"  - path: Security\n  - path: {name}\n"))
    assert main(["validate", str(path)]) == 2
    assert f"'{name.split('/')[0]}' is reserved: it names the organization's root" in capsys.readouterr().err
