"""The example's dashboard in a real browser: Debian's Chromium driven by playwright, from file://, offline.

Never skipped: .ci/run installs Chromium when /usr/bin/chromium is missing.
"""

from __future__ import annotations

from collections import Counter

import pytest

from landing_zone.dashboard.browser import chromium
from landing_zone.dashboard.site import build_dashboard
from landing_zone.environment import load_environment
from landing_zone.guardrails.matrix import applied_to

from .png import pixels

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def open_page(browser):
    """open_page(index, hash='') -> page, with every request that is not a local file refused and recorded."""
    pages = []

    def open_(index, fragment: str = ""):
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.outside = []
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)

        def refuse(route):
            page.outside.append(route.request.url)
            route.abort()

        page.route(lambda url: not url.startswith("file://"), refuse)
        page.goto(index.resolve().as_uri() + fragment)
        page.wait_for_selector("body[data-ready=true]")
        pages.append(page)
        return page

    yield open_
    for page in pages:
        assert page.outside == [], f"the page asked the network for {page.outside}"
        assert page.errors == [], page.errors
        page.close()


def _matrix_rows(page) -> int:
    return page.locator("#guardrail-matrix table.matrix tbody tr").count()


def test_every_ou_account_and_control_appears(example_site, example_loaded, open_page):
    index, model = example_site
    page = open_page(index)
    tree = page.locator("#organization .tree")
    for _, node in example_loaded.facts.tree.walk():
        assert tree.locator(f'li.ou[data-ou="{node.path}"] > .ou-name').inner_text() == node.name
    shown = tree.locator("a[data-account]").all_inner_texts()
    assert sorted(shown) == sorted(a["name"] for a in model["accounts"])
    page.click("nav a[data-view=guardrails]")
    # the views switch on hashchange, after click() returns (under CI load, after the next line ran: seen once)
    page.wait_for_selector("#guardrails", state="visible")
    page.wait_for_selector("#organization", state="hidden")
    listed = page.locator("#guardrails table.controls tbody th a").all_inner_texts()
    assert listed == [c["id"] for c in model["controls"]]
    assert page.locator("#guardrail-matrix tbody th a").all_inner_texts() == listed
    header = page.locator("#guardrail-matrix thead th.acct a").all_inner_texts()
    assert header == [a["name"] for a in model["accounts"]]  # 11 accounts: one page


def test_filtering_by_tier_and_behaviour_narrows_the_matrix(example_site, open_page):
    index, model = example_site
    page = open_page(index, "#guardrails")
    assert _matrix_rows(page) == len(model["controls"])
    page.uncheck('#matrix-filters input[name=tier][value="elective"]')
    tiers = Counter(c["tier"] for c in model["controls"])
    assert _matrix_rows(page) == len(model["controls"]) - tiers["elective"] < len(model["controls"])
    page.uncheck('#matrix-filters input[name=behaviour][value="detective"]')
    expected = [c["id"] for c in model["controls"] if c["tier"] != "elective" and c["behaviour"] == "preventive"]
    assert page.locator("#guardrail-matrix tbody th a").all_inner_texts() == expected
    page.fill("#matrix-filters input[name=accounts]", "Workloads/Prod")
    assert page.locator("#guardrail-matrix thead th.acct a").all_inner_texts() == ["payments-prod", "web-prod"]
    assert "accounts 1–2 of 2" in page.locator("#guardrail-matrix .page-status").inner_text()


def test_arrow_keys_move_in_the_matrix_and_enter_opens_the_account(example_site, open_page):
    index, model = example_site
    page = open_page(index, "#guardrails")
    cells = page.locator("#guardrail-matrix td.cell")
    assert page.locator("#guardrail-matrix td.cell[tabindex='0']").count() == 1  # one tab stop for the grid
    cells.first.focus()
    for key in ("ArrowRight", "ArrowRight", "ArrowDown", "End", "ArrowLeft"):
        page.keyboard.press(key)
    focused = page.evaluate("document.activeElement.title")
    last_but_one = model["accounts"][-2]["name"]
    control = model["controls"][1]["id"]  # two right, one down, to the end, one left: row 2, the last account but one
    assert focused.startswith(f"{control} on {last_but_one}: from ") or focused == f"{control} does not apply to {last_but_one}"
    page.keyboard.press("Enter")
    page.wait_for_function(f"location.hash === '#account/{last_but_one}'")
    assert page.locator("#detail h2").inner_text() == f"Account {last_but_one}"


def test_scp_budgets_are_bars(example_site, open_page):
    index, model = example_site
    page = open_page(index, "#guardrails")
    rows = page.locator("#guardrails table.budgets tbody tr")
    assert rows.count() == len(model["budgets"])
    for i, budget in enumerate(model["budgets"]):
        meters = rows.nth(i).locator("meter")
        assert rows.nth(i).locator("th").inner_text() == budget["target"]
        assert float(meters.nth(0).get_attribute("value")) == budget["policies"]
        assert float(meters.nth(0).get_attribute("max")) == budget["slots_free_for_guardrails"]
        assert float(meters.nth(1).get_attribute("max")) == budget["character_quota"]
        assert meters.nth(0).bounding_box()["width"] > 50  # drawn, not collapsed


def test_clicking_an_account_shows_its_guardrails_and_access(example_site, example_loaded, open_page):
    index, _ = example_site
    page = open_page(index)
    page.click('#organization a[data-account="payments-prod"]')
    # a link to #account/NAME renders on hashchange, after the click returns
    page.wait_for_function(
        "!document.querySelector('#detail').hidden && document.querySelector('#detail h2')?.textContent.includes('payments-prod')"
    )
    detail = page.locator("#detail")
    assert detail.is_visible() and detail.locator("h2").inner_text() == "Account payments-prod"
    assert page.url.endswith("#account/payments-prod")
    applied = applied_to(example_loaded.facts.guardrail_plan, "payments-prod")
    rows = detail.locator("table.account-guardrails tbody tr")
    assert rows.count() == len(applied)
    first = rows.first.locator("td").all_inner_texts()
    assert first[-1] == applied[0].via.label
    assert detail.locator("table.account-guardrails tbody th").all_inner_texts() == [a.control.id for a in applied]
    grants = example_loaded.facts.identity_plan.grants_for(account="payments-prod")
    access = detail.locator("table.account-access tbody tr")
    assert access.count() == len(grants) > 0
    assert sorted(tuple(access.nth(i).locator("th, td").all_inner_texts()[:2]) for i in range(access.count())) == sorted(
        (g.group, g.permission_set) for g in grants
    )
    assert "account-payments-prod" in detail.inner_text()  # its stack
    page.keyboard.press("Escape")  # back to the view the account belongs to
    page.wait_for_function("location.hash === '#organization'")
    page.wait_for_selector("#organization", state="visible")  # shown by the hashchange handler, just after


def test_control_detail_has_rule_and_runbook(example_site, open_page):
    index, _ = example_site
    page = open_page(index, "#control/AWS-GR_RESTRICTED_SSH")
    detail = page.locator("#detail")
    assert detail.locator("h2").inner_text() == "AWS-GR_RESTRICTED_SSH"
    assert "INCOMING_SSH_DISABLED" in detail.inner_text()
    page.keyboard.press("Escape")
    page.wait_for_function("location.hash === '#guardrails'")
    page.wait_for_selector("#guardrails", state="visible")  # shown by the hashchange handler, just after
    page.go_back()
    page.wait_for_function("document.querySelector('#detail h2') && !document.querySelector('#detail').hidden")
    assert (
        "--runbook LZ-RevokeOpenAdminIngress --param GroupId=<GroupId> --param Port=22"
        in detail.locator("code.command").inner_text()
    )
    page.goto(page.url.split("#")[0] + "#control/AWS-GR_REGION_DENY")
    page.wait_for_function("document.querySelector('#detail h2').textContent === 'AWS-GR_REGION_DENY'")
    assert '"Sid": "AWSGRREGIONDENY"' in page.locator("#detail pre").first.inner_text()


def test_network_diagram_is_an_svg_with_every_vpc(example_site, example_loaded, open_page):
    index, _ = example_site
    page = open_page(index, "#network")
    svg = page.locator("#network svg.network-diagram")
    assert svg.evaluate("e => e instanceof SVGSVGElement && e.namespaceURI") == "http://www.w3.org/2000/svg"
    texts = svg.locator("text").all_text_contents()
    for vpc in example_loaded.facts.network_plan.vpcs.values():
        assert vpc.name in texts and vpc.cidr in texts
    box = svg.bounding_box()
    assert box is not None and box["width"] > 500 and box["height"] > 300


def test_search_with_the_keyboard_opens_an_account(example_site, open_page):
    index, _ = example_site
    page = open_page(index)
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "search"
    page.keyboard.type("web-non")
    options = page.locator("#search-results li")
    assert options.count() == 2  # the account web-nonprod and its VPC
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash === '#account/web-nonprod'")
    assert page.locator("#detail h2").inner_text() == "Account web-nonprod"
    assert page.evaluate("document.activeElement.tagName") == "H2"  # focus moved to the detail
    page.keyboard.press("Tab")  # the next stop is the way back
    assert page.evaluate("document.activeElement.textContent") == "← Organization"
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash === '#organization'")


def test_theme_toggle_switches_light_and_dark(example_site, open_page):
    index, _ = example_site
    page = open_page(index)
    background = lambda: page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.evaluate("document.documentElement.dataset.theme = 'light'")
    assert background() == "rgb(255, 255, 255)"
    page.click("#theme-toggle")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert background() == "rgb(13, 17, 23)"
    page.keyboard.press("t")
    assert background() == "rgb(255, 255, 255)"


def test_screenshot_is_not_blank(example_site, open_page):
    index, _ = example_site
    page = open_page(index, "#network")
    width, height, rgb = pixels(page.screenshot(clip={"x": 0, "y": 0, "width": 640, "height": 480}))
    assert (width, height) == (640, 480)
    colours = Counter(rgb)
    background, most = colours.most_common(1)[0]
    assert most < 0.95 * len(rgb), "one colour fills the screenshot"
    assert len(colours) > 50  # text, lines and boxes, anti-aliased
    dark = sum(1 for r, g, b in rgb if r + g + b < 200)
    assert dark > 500  # there is text on the light background


def test_hundreds_of_accounts_are_paged(tmp_path, open_page):
    from bench.generate import write_environment

    env_file = write_environment(100, tmp_path / "env")
    loaded = load_environment(env_file)
    index, model = build_dashboard(loaded.facts, str(env_file), loaded.name, tmp_path / "site")
    page = open_page(index, "#guardrails")
    header = lambda: page.locator("#guardrail-matrix thead th.acct a").all_inner_texts()
    names = [a["name"] for a in model["accounts"]]
    assert len(names) == 101 and header() == names[:25]
    assert page.locator("#guardrail-matrix td.cell").count() == 25 * len(model["controls"])
    page.keyboard.press("]")
    assert header() == names[25:50]
    page.click("#guardrail-matrix button.next")
    assert header() == names[50:75]
    page.click("#guardrail-matrix button.prev")
    assert header() == names[25:50]
    assert "page 2 of 5" in page.locator("#guardrail-matrix .page-status").inner_text()
    page.click("nav a[data-view=access]")
    assert page.locator("#access-matrix thead th.acct").count() == 25


def test_compliance_views_from_the_seam(example_loaded, tmp_path, open_page):
    from landing_zone.dashboard.compliance import ComplianceView, Observation

    seen = (
        Observation("AWS-GR_RESTRICTED_SSH", "web-prod", "eu-west-1", "sg-0abc", "COMPLIANT", "2026-01-01T00:00:00Z"),
        Observation("AWS-GR_RESTRICTED_SSH", "web-prod", "eu-west-1", "sg-0abc", "NON_COMPLIANT", "2026-01-02T00:00:00Z"),
        Observation("AWS-GR_RESTRICTED_SSH", "payments-prod", "eu-west-1", "sg-0def", "COMPLIANT", "2026-01-02T00:00:00Z"),
    )
    view = ComplianceView("history", seen, env_file="environments/example.yaml")
    index, _ = build_dashboard(example_loaded.facts, "environments/example.yaml", "example", tmp_path / "s", compliance=view)
    page = open_page(index, "#compliance")
    assert page.locator("#compliance").is_visible()
    bad = page.locator("#compliance-heatmap td.bad")
    assert bad.count() == 1 and bad.inner_text() == "1" and "web-prod" in bad.get_attribute("title")
    assert page.locator("#compliance-heatmap td.good").count() == 1
    finding = page.locator("#compliance table.findings tbody tr")
    assert finding.count() == 1
    assert "lz respond environments/example.yaml --account web-prod --runbook LZ-RevokeOpenAdminIngress" in finding.inner_text()
    assert "2026-01-02T00:00:00Z" in finding.inner_text()
    page.click('#compliance table.findings a[href="#account/web-prod"]')
    page.wait_for_selector("#detail table.timeline tbody tr")  # rendered on hashchange, after the click returns
    timeline = page.locator("#detail table.timeline tbody tr")  # the account's violations: one, open
    assert timeline.count() == 1
    assert timeline.nth(0).locator("th, td").all_inner_texts()[:4] == [
        "2026-01-02T00:00:00Z",
        "open",
        "AWS-GR_RESTRICTED_SSH",
        "sg-0abc",
    ]


def test_an_environment_without_identity_or_network(kinds_env, tmp_path, open_page):
    loaded = load_environment(kinds_env)
    index, _ = build_dashboard(loaded.facts, str(kinds_env), loaded.name, tmp_path / "s")
    page = open_page(index)
    assert page.locator("#organization .tree .badge.flag-quarantined").count() == 1
    assert page.locator("#organization .tree .badge.flag-suspended").count() == 1
    assert page.locator("#organization .tree .badge.kind-adopted").count() == 1
    page.click("nav a[data-view=access]")
    assert "Identity Center is not managed" in page.locator("#access").inner_text()
    page.click("nav a[data-view=network]")
    assert "no network: section" in page.locator("#network svg").text_content()


def test_compliance_heatmap_from_the_history_store(tmp_path, open_page, capsys):
    """`lz dashboard --history DB`: the store `lz compliance --record` writes, drawn as the heatmap and timelines."""
    from landing_zone.cli.main import main
    from landing_zone.compliance import store

    db = tmp_path / "compliance.sqlite"
    sg = ("AWS-GR_RESTRICTED_SSH", "payments-prod", "eu-west-1", "AWS::EC2::SecurityGroup")
    bucket = ("AWS-GR_S3_BUCKET_PUBLIC_READ_PROHIBITED", "web-prod", "eu-west-1", "AWS::S3::Bucket")
    store.record(db, "example", [store.Observation("2026-02-01T10:00:00Z", *sg, "sg-0open", "NON_COMPLIANT"), store.Observation("2026-02-01T10:00:00Z", *bucket, "web-open", "NON_COMPLIANT")])  # fmt: skip
    store.record(db, "example", [store.Observation("2026-02-01T11:00:00Z", *sg, "sg-0open", "COMPLIANT"), store.Observation("2026-02-01T11:00:00Z", *bucket, "web-open", "NON_COMPLIANT")])  # fmt: skip
    out = tmp_path / "site"
    assert main(["dashboard", "environments/example.yaml", "--history", str(db), "--out", str(out)]) == 0
    capsys.readouterr()
    page = open_page(out / "index.html", "#compliance")
    assert "history" in page.locator("#compliance-title").inner_text()
    bad = page.locator("#compliance-heatmap td.bad")
    assert bad.count() == 1 and bad.inner_text() == "1"
    assert bad.get_attribute("title") == "AWS-GR_S3_BUCKET_PUBLIC_READ_PROHIBITED in web-prod: 1 non-compliant, 0 compliant"
    good = page.locator("#compliance-heatmap td.good")
    assert good.count() == 1 and good.inner_text() == "✓" and "payments-prod" in good.get_attribute("title")
    assert page.evaluate("getComputedStyle(document.querySelector('#compliance-heatmap td.bad')).backgroundColor") != (
        page.evaluate("getComputedStyle(document.querySelector('#compliance-heatmap td.good')).backgroundColor")
    )
    finding = page.locator("#compliance table.findings tbody tr")
    assert finding.count() == 1 and "--runbook LZ-BlockS3PublicAccess --param BucketName=web-open" in finding.inner_text()
    assert "2026-02-01T10:00:00Z" in finding.inner_text()  # since the first observation
    episodes = page.locator("#compliance table.violations tbody tr")
    assert [episodes.nth(i).locator("th, td").all_inner_texts()[:5] for i in range(episodes.count())] == [
        ["payments-prod", "2026-02-01T10:00:00Z", "2026-02-01T11:00:00Z", "AWS-GR_RESTRICTED_SSH", "sg-0open"],
        ["web-prod", "2026-02-01T10:00:00Z", "open", "AWS-GR_S3_BUCKET_PUBLIC_READ_PROHIBITED", "web-open"],
    ]
    page.click('#compliance table.violations a[href="#account/payments-prod"]')
    page.wait_for_selector("#detail table.timeline tbody tr")  # rendered on hashchange, after the click returns
    timeline = page.locator("#detail table.timeline tbody tr")
    assert timeline.count() == 1 and timeline.nth(0).locator("th, td").all_inner_texts()[1] == "2026-02-01T11:00:00Z"
