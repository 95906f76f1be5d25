"""audit/prowler_fork.py with a stand-in for Prowler: the start-up loads once in the parent, every scan runs in its
own child with its own arguments and log, and each exit status comes back; the children see what the parent loaded."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

FAKE = {
    "prowler/__init__.py": "",
    "prowler/lib/__init__.py": "",
    "prowler/lib/check/__init__.py": "",
    "prowler/lib/cli/__init__.py": "",
    "prowler/lib/cli/parser.py": (
        "import os\nclass ProwlerArgumentParser:\n"
        "    def __init__(self):\n        open(os.environ['LOADS'], 'a').write(f'parser {os.getpid()}\\n')\n"
    ),
    "prowler/lib/check/models.py": (
        "import os\nclass CheckMetadata:\n    @staticmethod\n    def get_bulk(provider):\n"
        "        open(os.environ['LOADS'], 'a').write(f'metadata {os.getpid()}\\n')\n        return {'check': []}\n"
    ),
    "prowler/lib/check/compliance_models.py": (
        "import os\nclass Compliance:\n    @staticmethod\n    def get_bulk(provider):\n"
        "        open(os.environ['LOADS'], 'a').write(f'frameworks {os.getpid()}\\n')\n        return {'cis_3.0_aws': 1, 'soc2_aws': 2}\n"
        "def get_bulk_compliance_frameworks_universal(provider):\n"
        "    open(os.environ['LOADS'], 'a').write(f'universal {os.getpid()}\\n')\n    return {'cis_3.0_aws': 3, 'csa_ccm_4.0': 4}\n"
    ),
    "prowler/lib/check/compliance.py": (
        "def update_checks_metadata_with_compliance(frameworks, metadata):\n    return {**metadata, 'with': sorted(frameworks)}\n"
    ),
    "prowler/__main__.py": (
        "import sys\n"
        "from prowler.lib.check.compliance import update_checks_metadata_with_compliance\n"
        "from prowler.lib.check.compliance_models import Compliance, get_bulk_compliance_frameworks_universal\n"
        "from prowler.lib.check.models import CheckMetadata\n"
        "def prowler():\n"
        "    frameworks = Compliance.get_bulk('aws')\n"
        "    metadata = update_checks_metadata_with_compliance(frameworks, CheckMetadata.get_bulk('aws'))\n"
        "    universal = get_bulk_compliance_frameworks_universal('aws')\n"
        "    print('scan', sys.argv[1:], metadata['with'], sorted(universal))\n"
        "    sys.exit(3 if '--fail' in sys.argv else 0)\n"
    ),
}


def test_one_start_up_then_a_child_per_scan(tmp_path):
    fake = tmp_path / "fake"
    for path, text in FAKE.items():
        (fake / path).parent.mkdir(parents=True, exist_ok=True)
        (fake / path).write_text(text, encoding="utf-8")
    loads = tmp_path / "loads.txt"
    scans = [
        {
            "name": "management",
            "argv": ["aws", "--compliance", "cis_3.0_aws", "--region", "eu-west-1"],
            "log": str(tmp_path / "management.log"),
        },
        {"name": "network", "argv": ["aws", "--compliance", "cis_3.0_aws", "--fail"], "log": str(tmp_path / "network.log")},
    ]
    done = subprocess.run(
        [sys.executable, str(ROOT / "audit" / "prowler_fork.py"), json.dumps(scans)],
        env={"PYTHONPATH": str(fake), "LOADS": str(loads), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert {name: r["exit"] for name, r in result["scans"].items()} == {"management": 0, "network": 3}
    assert result["preload_seconds"] >= 0 and all(r["seconds"] >= result["preload_seconds"] for r in result["scans"].values())
    # Each log holds its own scan, which saw the frameworks the parent loaded: only the one the scans ask for.
    management = (tmp_path / "management.log").read_text()
    assert "scan ['aws', '--compliance', 'cis_3.0_aws', '--region', 'eu-west-1'] ['cis_3.0_aws'] ['cis_3.0_aws']" in management
    assert "scan ['aws', '--compliance', 'cis_3.0_aws', '--fail']" in (tmp_path / "network.log").read_text()
    # The costly loaders ran once, in the parent; each scan reads only the checks' metadata again (cheap).
    lines = loads.read_text().split()
    runs = list(zip(lines[0::2], lines[1::2]))
    parent = {pid for kind, pid in runs if kind == "parser"}
    assert len(parent) == 1 and sorted(k for k, pid in runs if pid not in parent) == ["metadata", "metadata"]
    assert sorted(k for k, pid in runs if pid in parent) == ["frameworks", "metadata", "parser", "universal"]
