"""The site's files, the network SVG, the atomic folder write and the command line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from landing_zone.cli.main import main
from landing_zone.dashboard.atomic import write_folder
from landing_zone.dashboard.network_svg import network_svg
from landing_zone.environment import load_environment
from landing_zone.output_paths import OutputPathError

from .conftest import EXAMPLE, ROOT

SVG = "{http://www.w3.org/2000/svg}"


def test_network_svg_is_xml_with_every_vpc_name_and_cidr(example_loaded):
    plan = example_loaded.facts.network_plan
    svg = network_svg(plan, "example network")
    root = ET.fromstring(svg)
    names = {g.get("data-name") for g in root.iter(f"{SVG}g") if "vpc" in (g.get("class") or "").split()} | {
        g.get("data-name") for g in root.iter(f"{SVG}g") if "egress" in (g.get("class") or "").split()
    }
    assert names == set(plan.vpcs)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for vpc in plan.vpcs.values():
        assert vpc.name in texts and vpc.cidr in texts
    assert "segment prod" in texts and "Direct Connect corp-dx" in texts and "peering payments-analytics" in texts
    assert svg == network_svg(plan, "example network")  # deterministic


def test_network_svg_without_a_network(kinds_env):
    svg = network_svg(load_environment(kinds_env).facts.network_plan)
    assert "no network: section" in svg and ET.fromstring(svg).tag == f"{SVG}svg"


def test_site_files_are_self_contained(example_site):
    index, model = example_site
    folder = index.parent
    assert sorted(p.name for p in folder.iterdir()) == ["dashboard.css", "dashboard.js", "data.js", "index.html"]
    html = index.read_text()
    # nothing is loaded from the network: every src/href is a file of the folder or an anchor
    for ref in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert ref.startswith("#") or (folder / ref).is_file(), ref
    assert "http://" not in folder.joinpath("dashboard.js").read_text()
    assert "<svg" in html and all(a["name"] in html for a in model["accounts"])
    data = folder.joinpath("data.js").read_text()
    assert data.startswith("window.LZ_DASHBOARD={") and "</" not in data


def test_two_builds_are_byte_identical(example_loaded, tmp_path):
    from landing_zone.dashboard.site import build_dashboard

    a, _ = build_dashboard(example_loaded.facts, "environments/example.yaml", "example", tmp_path / "a")
    b, _ = build_dashboard(example_loaded.facts, "environments/example.yaml", "example", tmp_path / "b")
    for name in ("index.html", "data.js"):
        assert (a.parent / name).read_bytes() == (b.parent / name).read_bytes()


def test_write_folder_replaces_the_whole_folder(tmp_path):
    target = tmp_path / "site"
    write_folder(target, {"index.html": "one", "old.txt": "stale"})
    write_folder(target, {"index.html": "two", "sub/data.js": b"x"})
    assert sorted(str(p.relative_to(target)) for p in target.rglob("*")) == ["index.html", "sub", "sub/data.js"]
    assert (target / "index.html").read_text() == "two"
    # no staging or old folder left behind; the run lock's file stays beside the folder (issue 26: it is never removed,
    # which would race with a waiting writer)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]


def test_write_folder_keeps_the_old_folder_when_writing_fails(tmp_path):
    target = tmp_path / "site"
    write_folder(target, {"index.html": "one"})
    with pytest.raises(OutputPathError, match="cannot write the dashboard"):
        write_folder(target, {"index.html": "two", "index.html/inside": "x"})  # a file where a folder must be
    assert (target / "index.html").read_text() == "one"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]  # the run lock's file stays


def test_write_folder_refuses_a_file(tmp_path):
    target = tmp_path / "site"
    target.write_text("a file")
    with pytest.raises(OutputPathError, match="is a file; give a folder"):
        write_folder(target, {"index.html": "x"})


def test_cli_writes_the_site_and_prints_its_path(tmp_path, capsys):
    out = tmp_path / "dash"
    assert main(["dashboard", str(EXAMPLE), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == str(out / "index.html")
    assert "11 accounts, 61 controls, 7 VPCs; open file://" in captured.err
    assert (out / "data.js").is_file()


def test_cli_bad_out_and_bad_env_exit_2_without_traceback(tmp_path):
    a_file = tmp_path / "taken"
    a_file.write_text("x")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    run = lambda *args: subprocess.run(
        [sys.executable, "-m", "landing_zone.cli.main", "dashboard", *args], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    bad_out = run(str(EXAMPLE), "--out", str(a_file))
    assert bad_out.returncode == 2 and "Traceback" not in bad_out.stderr
    assert f"lz dashboard: {a_file}: is a file; give a folder for the dashboard" in bad_out.stderr
    missing = run(str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2 and "nope.yaml: file not found" in missing.stderr and "Traceback" not in missing.stderr


def test_cli_refuses_a_remote_endpoint(tmp_path, capsys):
    code = main(
        ["dashboard", str(EXAMPLE), "--out", str(tmp_path / "d"), "--read-organization", "--endpoint", "http://10.0.0.1:5000"]
    )
    assert code == 2 and "lz dashboard:" in capsys.readouterr().err
    assert not (tmp_path / "d").exists()


def test_package_data_ships_the_templates_and_static_files():
    text = Path(ROOT / "pyproject.toml").read_text()
    assert '"dashboard/templates/*.j2", "dashboard/static/*"' in text


def test_make_demo_ends_with_the_dashboard_and_ci_installs_chromium():
    makefile = (ROOT / "Makefile").read_text()
    demo = makefile.split("\ndemo: setup\n", 1)[1].split("\n\n", 1)[0].splitlines()
    # The dashboard is built last, then the next steps name where it is.
    assert "lz dashboard $(ENV) --out cdktf.out/dashboard" in demo[-2]
    assert "landing_zone.deploy.local_notes" in demo[-1] and "--dashboard cdktf.out/dashboard" in demo[-1]
    ci = (ROOT / ".ci" / "run").read_text()
    assert (
        "[ ! -x /usr/bin/chromium ]" in ci and "apt-get install" in ci and ci.index("apt-get install") < ci.index("\nmake test\n")
    )


def test_cli_reads_account_ids_from_the_local_api(tmp_path, capsys):
    import boto3

    from landing_zone.local_aws.server import DUMMY_CREDENTIALS, REGION, LocalAws

    with LocalAws(log_file=tmp_path / "moto.log") as server:
        client = boto3.client(
            "organizations",
            endpoint_url=server.url,
            region_name=REGION,
            aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )
        client.create_organization(FeatureSet="ALL")
        created = client.create_account(AccountName="web-prod", Email="aws+web-prod@acme-corp.io")["CreateAccountStatus"]
        out = tmp_path / "site"
        code = main(["dashboard", str(EXAMPLE), "--out", str(out), "--read-organization", "--endpoint", server.url])
    assert code == 0, capsys.readouterr().err
    assert (
        f'"name":"web-prod","ou":"Workloads/Prod","kind":"vended","flags":[],"id":"{created["AccountId"]}"'
        in (out / "data.js").read_text()
    )
    assert created["AccountId"] in (out / "index.html").read_text()  # shown in the tree


def test_cli_unreachable_api_is_a_clear_error(tmp_path, capsys):
    from landing_zone.local_aws.server import free_port

    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    code = main(["dashboard", str(EXAMPLE), "--out", str(tmp_path / "d"), "--read-organization", "--endpoint", url])
    err = capsys.readouterr().err
    assert code == 1 and f"lz dashboard: cannot read the organization from {url}:" in err
    assert not (tmp_path / "d").exists()


def test_one_chromium_helper_and_no_playwright_on_import():
    """The browser tests and the benchmark share the launch flags; importing the package never loads playwright."""
    code = (
        "import sys, landing_zone.dashboard.site, landing_zone.dashboard.browser as b; "
        "print('playwright' in sys.modules, b.CHROMIUM, ' '.join(b.FLAGS))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT))
    )
    assert done.stdout.split("\n")[0] == (
        "False /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
        "--disable-background-networking --disable-component-update --disable-sync"
    ), done.stderr
    for path in ("bench/dashboard_page.py", "tests/dashboard/test_browser.py"):
        text = (ROOT / path).read_text()
        assert "from landing_zone.dashboard.browser import chromium" in text and "--no-sandbox" not in text, path
