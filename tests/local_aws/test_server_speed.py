"""The local API's own speed-ups (additions/server_speed.py) change nothing a caller sees."""

from __future__ import annotations

import json
import os

from landing_zone.local_aws.additions import server_speed


def test_each_account_gets_its_own_copy_of_every_aws_managed_policy(monkeypatch):
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    from moto.iam.aws_managed_policies import aws_managed_policies_data
    from moto.iam.models import IAMBackend

    server_speed.install()
    server_speed.install()  # idempotent
    data = json.loads(aws_managed_policies_data)
    one, two = IAMBackend("global", "111111111111"), IAMBackend("global", "222222222222")

    assert {p.name for p in one.aws_managed_policies} == set(data)
    arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    policy = one.managed_policies[arn]
    assert json.loads(policy.versions[0].document) == data["ReadOnlyAccess"]["Document"]
    assert policy.default_version_id == data["ReadOnlyAccess"]["DefaultVersionId"]
    assert policy.path == data["ReadOnlyAccess"]["Path"]
    assert (policy.account_id, two.managed_policies[arn].account_id) == ("111111111111", "222222222222")
    # attaching in one account leaves the other's count alone
    policy.attach_to(one.create_role("r", "{}", "/", None, "", [], None))
    assert (policy.attachment_count, two.managed_policies[arn].attachment_count) == (1, 0)


def test_without_the_setting_no_aws_managed_policies_are_loaded(monkeypatch):
    monkeypatch.delenv("MOTO_IAM_LOAD_MANAGED_POLICIES", raising=False)
    from moto.iam.models import IAMBackend

    server_speed.install()
    assert IAMBackend("global", "333333333333").aws_managed_policies == []


def test_the_module_list_is_the_installed_packages_folders():
    import moto
    from moto import backends

    server_speed.install()
    root = os.path.dirname(moto.__file__)
    folders = {n for n in os.listdir(root) if os.path.isdir(os.path.join(root, n)) and not n.startswith("__")}
    assert set(backends.list_of_moto_modules()) == folders
    assert "iam" in backends.list_of_moto_modules()
