"""Account factory, load side: request files, then requests turned into accounts.

`add_request_files` puts every `environments/<env>/accounts/*.yaml` into
`account_factory.requests` (each value keeps its own file and line, so any
problem points at the request file). `vend_accounts` appends one ordinary
account per request to `accounts`, in the data the rules read as well as in
the typed model, so name and email uniqueness, OU placement, guardrails,
identity and network treat vended accounts like any other; a request's
`network:` block becomes a `network.vpcs` entry the same way.
"""

from __future__ import annotations

import os
import string
from pathlib import Path
from typing import Any, Callable, Optional

from .models import AccountRequest, Environment
from .problems import ConfigError, Location, Problem
from .vending_network import add_request_vpcs
from .yaml_loader import LocDict, LocList, load_yaml_file

ACCOUNTS_DIR = "accounts"


def request_dir(env_file: Path) -> Path:
    """Where one-file-per-account requests of `environments/<env>.yaml` live: `environments/<env>/accounts/`."""
    return env_file.parent / env_file.stem / ACCOUNTS_DIR


def _loc_dict(items: dict, loc: Location, locs: Optional[dict] = None) -> LocDict:
    out = LocDict(items)
    out.loc = loc
    out.key_locs = dict(locs or {}) or {k: loc for k in items}
    out.value_locs = dict(locs or {}) or {k: loc for k in items}
    return out


def _copy(node: LocDict) -> LocDict:
    out = LocDict(node)
    out.loc, out.key_locs, out.value_locs = node.loc, dict(node.key_locs), dict(node.value_locs)
    return out


def _set(parent: LocDict, key: str, value: Any, loc: Location) -> None:
    parent[key] = value
    parent.key_locs.setdefault(key, loc)
    parent.value_locs.setdefault(key, loc)


def _loc_list(items: list, loc: Location, item_locs: list[Location]) -> LocList:
    out = LocList(items)
    out.loc, out.item_locs = loc, list(item_locs)
    return out


def request_files(env_file: Path, display: Callable[[Path], str]) -> list[Path]:
    """The request files of an environment, sorted; ConfigError when the folder exists but cannot be listed."""
    folder = request_dir(env_file)
    try:
        if not os.path.lexists(folder):
            return []
        if not folder.is_dir():
            raise ConfigError(
                [Problem(Location(display(folder)), "", "is not a folder: account request files go in this folder as NAME.yaml")]
            )
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries if e.name.endswith(".yaml"))
    except OSError as exc:
        raise ConfigError(
            [Problem(Location(display(folder)), "", f"cannot list the account request folder: {exc.strerror or exc}")]
        ) from None
    return [folder / name for name in names]


def add_request_files(
    data: Any, env_file: Path, display: Callable[[Path], str], check: Callable[[Path, Location], Any] = lambda f, where: f
) -> Any:
    """`data` with the request files appended to `account_factory.requests` (unchanged when there are none).

    `check(file, location)` raises ConfigError for a file that must not be read
    (one whose link leads outside the environment's repository folder).
    """
    files = request_files(env_file, display)
    if not files or not isinstance(data, LocDict):
        return data
    for f in files:
        check(f, Location(display(f)))
    docs = [load_yaml_file(f, display(f)) for f in files]
    out = _copy(data)
    factory = data.get("account_factory")
    factory = _copy(factory) if isinstance(factory, LocDict) else _loc_dict({}, docs[0].loc)
    _set(out, "account_factory", factory, docs[0].loc)
    requests = factory.get("requests")
    if isinstance(requests, LocList):
        requests = _loc_list(list(requests) + docs, requests.loc, requests.item_locs + [d.loc for d in docs])
    elif requests is None:
        requests = _loc_list(docs, docs[0].loc, [d.loc for d in docs])
    else:  # not a list: leave it for the shape check to report
        return out
    factory["requests"] = requests
    factory.key_locs.setdefault("requests", docs[0].loc)
    factory.value_locs["requests"] = requests.loc
    return out


def template_fields(template: str) -> list[str]:
    """Placeholder names in an email template; ValueError when it is malformed."""
    return [field for _, field, _, _ in string.Formatter().parse(template) if field is not None]


def generated_email(template: str, name: str) -> Optional[str]:
    """The template filled with the account name; None when the template is unusable."""
    try:
        if template_fields(template) != ["name"]:
            return None
        return template.format(name=name)
    except (ValueError, KeyError, IndexError):
        return None


def vended_fields(env: Environment, request: AccountRequest) -> Optional[dict]:
    """The account a request becomes, or None when it lacks an email or an OU (the factory rules say why)."""
    defaults = env.account_factory.defaults if env.account_factory else None
    email = request.email
    if email is None and defaults is not None and defaults.email_template:
        email = generated_email(defaults.email_template, request.name)
    ou = request.ou or (defaults.ou if defaults else None)
    if email is None or ou is None:
        return None
    tags = {**(defaults.tags if defaults else {}), **request.tags}
    fields = {
        "name": request.name,
        "email": email,
        "ou": ou,
        "tags": dict(sorted(tags.items())),
        "close_on_deletion": request.close,
    }
    # Contacts are the account's own setting: the management stack sets them for every account.
    contacts = request.baseline.alternate_contacts or (defaults.baseline.alternate_contacts if defaults else None)
    if contacts is not None:
        fields["alternate_contacts"] = contacts.model_dump(exclude_none=True)
    return fields


def vend_accounts(env: Environment, data: Any) -> tuple[Any, list[dict]]:
    """`data` with one account per usable request appended to `accounts`; the fields added, in order.

    Each added value points at where it came from: the request's own key, or
    its `name` for what the factory generated (email, merged tags).
    """
    if env.account_factory is None or not env.account_factory.requests:
        return data, []
    requests = data["account_factory"]["requests"]
    accounts = data.get("accounts")
    items = list(accounts) if isinstance(accounts, LocList) else []
    item_locs = list(accounts.item_locs) if isinstance(accounts, LocList) else []
    added = []
    defaults_node = data["account_factory"].get("defaults")
    for i, request in enumerate(env.account_factory.requests):
        fields = vended_fields(env, request)
        if fields is None:
            continue
        node = requests[i]
        here = node.value_locs.get("name", node.loc)
        locs = {k: node.value_locs.get(k, here) for k in fields}
        if request.ou is None and isinstance(defaults_node, LocDict):
            locs["ou"] = defaults_node.value_locs.get("ou", here)
        items.append(_loc_dict(fields, node.loc, locs))
        item_locs.append(requests.item_locs[i])
        added.append(fields)
    out = _copy(data)
    _set(out, "accounts", _loc_list(items, accounts.loc if isinstance(accounts, LocList) else data.loc, item_locs), data.loc)
    # A request's `network:` block becomes a `network.vpcs` entry (see vending_network).
    return add_request_vpcs(env, out, {f["name"] for f in added}), added


def request_for(env: Environment, name: str) -> Optional[AccountRequest]:
    """The factory request that vended account `name`, or None for an account written under `accounts:`."""
    if env.account_factory is None:
        return None
    return env.account_factory.request_index.get(name)


def vended_names(env: Environment) -> list[str]:
    """Names of the vended accounts, in request order."""
    return [r.name for r in env.account_factory.requests] if env.account_factory else []


def access_role(env: Environment, name: str) -> str:
    """The role the landing zone assumes in account `name`: the factory's for a vended account, else the organization's."""
    factory = env.account_factory
    if request_for(env, name) is not None and factory is not None and factory.defaults.access_role_name:
        return factory.defaults.access_role_name
    return env.organization.access_role_name


def effective_baseline(env: Environment, name: str):
    """The baseline options of vended account `name` with every default resolved (None for other accounts).

    The request's block wins key by key over the factory's defaults.
    """
    from .models import BaselineOptions, Budget

    request = request_for(env, name)
    if request is None:
        return None
    assert env.account_factory is not None  # a request exists only in an account factory
    defaults = env.account_factory.defaults.baseline
    merged = {
        key: getattr(request.baseline, key) if getattr(request.baseline, key) is not None else getattr(defaults, key)
        for key in BaselineOptions.model_fields
    }
    merged["account_alias"] = True if merged["account_alias"] is None else merged["account_alias"]
    merged["access_analyzer"] = bool(merged["access_analyzer"])
    merged["budget"] = merged["budget"] or Budget()
    return BaselineOptions.model_construct(**merged)


def account_alias(env: Environment, name: str) -> str:
    """IAM account alias of account `name`: '<organization>-<name>' in lower case, other characters as '-' (3-63 characters)."""
    raw = f"{env.organization.name}-{name}".lower()
    alias = "".join(c if c.isascii() and (c.isalnum() or c == "-") else "-" for c in raw).strip("-")[:63].rstrip("-")
    return alias.ljust(3, "0")


def quarantined_names(env: Environment) -> list[str]:
    """Vended accounts under the quarantine SCP: the request's `quarantine`, else the factory default, in request order."""
    if env.account_factory is None:
        return []
    default = env.account_factory.defaults.quarantine
    return [r.name for r in env.account_factory.requests if (default if r.quarantine is None else r.quarantine)]
