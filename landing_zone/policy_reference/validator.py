"""One validator for IAM policy documents, against the Service Authorization
Reference (database.py): SCPs, identity, trust, resource and permission-set
policies. Each finding names the policy's owner (a control, a custom policy or
a synthesized resource), the statement, and the offending value.

What it reports (error unless said otherwise):
- unknown service prefixes and actions, with did-you-mean; wildcards that match
  no action; a NotAction that names unknown actions;
- condition operators that do not exist; service condition keys that do not
  exist, or that none of the statement's actions supports (global `aws:*` keys
  are fine); an operator of the wrong type for its key;
- a Resource that cannot match any resource type of an action: on a Deny a
  guardrail hole (error), on an Allow a grant that never applies (warning);
- malformed ARNs; Principal/NotPrincipal in an SCP (AWS's SCP syntax), a
  resource or trust policy statement without a principal;
- a document over its size quota;
- with `strict`, parliament-style advice: `Resource: "*"` on an Allow whose
  actions all support resource-level scoping (warning).
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Literal, Mapping, Sequence

from .database import Action, Database, database, key_supported

KINDS = ("scp", "identity", "trust", "resource", "permission_set")
_OPERATOR = re.compile(
    r"^(?:(ForAllValues|ForAnyValue):)?(StringEquals|StringNotEquals|StringEqualsIgnoreCase|StringNotEqualsIgnoreCase|"
    r"StringLike|StringNotLike|ArnEquals|ArnNotEquals|ArnLike|ArnNotLike|Bool|Null|NumericEquals|NumericNotEquals|"
    r"NumericLessThan|NumericLessThanEquals|NumericGreaterThan|NumericGreaterThanEquals|DateEquals|DateNotEquals|"
    r"DateLessThan|DateLessThanEquals|DateGreaterThan|DateGreaterThanEquals|IpAddress|NotIpAddress|BinaryEquals)"
    r"(IfExists)?$"
)
# Key type (from the reference) -> operator families that compare it.
# Arn* operators compare String keys that hold ARNs (AWS's own key policies do: kms:EncryptionContext:aws:logs:arn).
_FAMILIES = {
    "string": {"String", "Arn"},
    "arn": {"Arn", "String"},
    "numeric": {"Numeric"},
    "long": {"Numeric"},
    "integer": {"Numeric"},
    "bool": {"Bool"},
    "boolean": {"Bool"},
    "date": {"Date"},
    "ipaddress": {"IpAddress"},
    "binary": {"Binary"},
}
_TERRAFORM_REF = re.compile(r"\$\{(?!aws:|saml:|sts:|\*|\?|\$)[^}]*\}")
_POLICY_VARIABLE = re.compile(r"\$\{[^}]*\}")
_ACCOUNT = re.compile(r"^\d{12}$")


@dataclass(frozen=True)
class Finding:
    severity: Literal["error", "warning"]
    code: str
    message: str
    owner: str = ""  # the control, custom policy or resource the statement belongs to
    statement: int = 0  # index of the statement in its policy
    sid: str = ""
    path: tuple = ()  # within the statement, e.g. ("Action", 1)

    def __str__(self) -> str:
        where = f"{self.owner} " if self.owner else ""
        sid = f" ({self.sid})" if self.sid else ""
        return f"{self.severity}: {where}statement {self.statement + 1}{sid}: {self.message}"

    def as_dict(self) -> dict:
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "owner": self.owner,
            "statement": self.statement,
            "sid": self.sid,
            "path": list(self.path),
        }


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _hint(value: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


@lru_cache(maxsize=2048)
def _glob(pattern: str) -> re.Pattern:
    return re.compile(
        "^" + "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern) + "$", re.IGNORECASE
    )


def _tokens(pattern: str, variables: re.Pattern) -> tuple:
    """A pattern as literal characters and None (any run of characters)."""
    out: list = []
    pos = 0
    for m in variables.finditer(pattern):
        out += list(pattern[pos : m.start()]) + [None]
        pos = m.end()
    out += list(pattern[pos:])
    return tuple(None if c == "*" else c for c in out)


def _intersect(a: tuple, b: tuple) -> bool:
    """Could one string match both patterns (None = any run, '?' in `a` = any one character)?"""

    @lru_cache(maxsize=None)
    def go(i: int, j: int) -> bool:
        if i == len(a) and j == len(b):
            return True
        if i < len(a) and a[i] is None and (go(i + 1, j) or (j < len(b) and go(i, j + 1))):
            return True
        if j < len(b) and b[j] is None and (go(i, j + 1) or (i < len(a) and go(i + 1, j))):
            return True
        return (
            i < len(a)
            and j < len(b)
            and a[i] is not None
            and b[j] is not None
            and (a[i] == b[j] or a[i] == "?")
            and go(i + 1, j + 1)
        )

    return go(0, 0)


_TEMPLATE_VAR = re.compile(r"\$\{[^}]+\}")


def resource_can_match(pattern: str, action: Action, db: Database) -> bool:
    """Can an ARN pattern of a policy name a resource the action authorizes on?"""
    if not action.resource_types:
        return False  # the action authorizes on "*" only
    types = db.resource_types(action.service)
    mine = pattern.split(":", 5)
    for name in action.resource_types:
        rtype = types.get(name)
        if rtype is None:
            return True
        theirs = rtype.arn.split(":", 5)
        # Field by field (partition, service, region, account), then the resource part.
        if len(theirs) == 6 and all(
            _intersect(_tokens(m, _POLICY_VARIABLE), _tokens(t, _TEMPLATE_VAR)) for m, t in zip(mine, theirs)
        ):
            return True
    return False


class _Checker:
    def __init__(self, kind: str, owner: str, db: Database, strict: bool, owners: Mapping[str, str]):
        self.kind, self.owner, self.db, self.strict, self.owners = kind, owner, db, strict, owners
        self.findings: list[Finding] = []

    def add(
        self, severity: Literal["error", "warning"], code: str, message: str, index: int, statement: Mapping, path: tuple = ()
    ) -> None:
        sid = str(statement.get("Sid", "")) if isinstance(statement, Mapping) else ""
        owner = self.owners.get(sid, self.owner)
        self.findings.append(Finding(severity, code, message, owner, index, sid, path))

    # --- actions -----------------------------------------------------------
    def actions(self, entries: list, field: str, index: int, st: Mapping) -> list[list[Action] | None]:
        """The actions each entry names (None for "*"), reporting entries that name none."""
        out: list[list[Action] | None] = []
        listed = isinstance(st.get(field), (list, tuple))
        for pos, entry in enumerate(entries):
            path = (field, pos) if listed else (field,)
            if not isinstance(entry, str) or (entry != "*" and ":" not in entry):
                self.add("error", "MALFORMED_ACTION", f"{field} {entry!r} is not service:Action", index, st, path)
                out.append([])
                continue
            if entry == "*":
                out.append(None)
                continue
            prefix, name = entry.split(":", 1)
            if prefix == "*":  # "*:*" is every action, as "*" is
                out.append(None)
                continue
            if not self.db.has_service(prefix):
                self.add(
                    "error",
                    "UNKNOWN_SERVICE",
                    f"{field} {entry!r}: no AWS service has the prefix {prefix!r}{_hint(prefix.lower(), self.db.services())}",
                    index,
                    st,
                    path,
                )
                out.append([])
                continue
            actions = self.db.actions(prefix)
            if "*" in name or "?" in name:
                hits = [a for a in actions.values() if _glob(name).match(a.name)]
                if not hits:
                    self.add(
                        "error", "WILDCARD_MATCHES_NOTHING", f"{field} {entry!r} matches no action of {prefix}", index, st, path
                    )
                out.append(hits)
            elif name.lower() in actions:
                out.append([actions[name.lower()]])
            else:
                names = {a.name: a.name for a in actions.values()}
                hint = _hint(name, names)
                hint = hint.replace("(did you mean '", f"(did you mean '{prefix}:") if hint else ""
                self.add("error", "UNKNOWN_ACTION", f"{field} {entry!r}: {prefix} has no action {name!r}{hint}", index, st, path)
                out.append([])
        return out

    # --- conditions ---------------------------------------------------------
    def conditions(self, block: Any, named: list[list[Action] | None], any_action: bool, index: int, st: Mapping) -> None:
        if block is None:
            return
        if not isinstance(block, Mapping):
            self.add("error", "MALFORMED_CONDITION", "Condition is not a mapping of operators", index, st, ("Condition",))
            return
        actions = [a for group in named if group for a in group]
        for op, keys in block.items():
            m = _OPERATOR.match(str(op))
            if not m:
                self.add(
                    "error",
                    "UNKNOWN_OPERATOR",
                    f"condition operator {op!r} does not exist"
                    f"{_hint(str(op), ['StringEquals', 'StringLike', 'ArnLike', 'ArnNotLike', 'StringNotEquals', 'Bool', 'Null'])}",
                    index,
                    st,
                    ("Condition", op),
                )
                continue
            family_match = re.match(r"String|Arn|Numeric|Date|Bool|Null|Binary|IpAddress|NotIpAddress", m.group(2))
            assert family_match is not None  # every operator _OPERATOR accepts starts with one of these families
            family = family_match.group(0)
            family = "IpAddress" if family == "NotIpAddress" else family
            for key in (keys or {}) if isinstance(keys, Mapping) else {}:
                path = ("Condition", op, key)
                if ":" not in key:
                    self.add("error", "UNKNOWN_CONDITION_KEY", f"condition key {key!r} has no service prefix", index, st, path)
                    continue
                prefix = key.split(":", 1)[0].lower()
                if prefix == "aws":
                    continue  # global condition keys apply to every action
                if "." in prefix or "/" in prefix:
                    continue  # an identity provider's key (token.actions.githubusercontent.com:sub, accounts.google.com:aud)
                spec = self.db.condition_key(key)
                if spec is None:
                    known = [s["key"] for s in self.db.condition_keys(prefix).values()]
                    self.add(
                        "error",
                        "UNKNOWN_CONDITION_KEY",
                        f"condition key {key!r} does not exist{_hint(key, known)}",
                        index,
                        st,
                        path,
                    )
                    continue
                unsupported = sorted({a.full_name for a in actions if not key_supported(key, a.condition_keys)})
                if not any_action and actions and len(unsupported) == len({a.full_name for a in actions}):
                    names = ", ".join(unsupported[:4]) + (" ..." if len(unsupported) > 4 else "")
                    self.add(
                        "error",
                        "CONDITION_KEY_NOT_SUPPORTED",
                        f"condition key {key!r} is not supported by {names}: the condition never has a value for these actions",
                        index,
                        st,
                        path,
                    )
                elif not any_action and unsupported and not m.group(3) and "Not" not in m.group(2) and family != "Null":
                    # Some actions never carry the key: a positive operator never holds for them.
                    names = ", ".join(unsupported[:4]) + (" ..." if len(unsupported) > 4 else "")
                    if st.get("Effect") == "Deny":
                        self.add(
                            "error",
                            "CONDITION_KEY_NOT_SUPPORTED",
                            f"guardrail hole: {names} never carry {key!r}, so this deny never matches them",
                            index,
                            st,
                            path,
                        )
                    else:
                        self.add(
                            "warning",
                            "CONDITION_KEY_NOT_SUPPORTED",
                            f"grant never applies to {names}: they never carry {key!r}",
                            index,
                            st,
                            path,
                        )
                base = str(spec.get("type", "")).lower().replace("arrayof", "")
                if family != "Null" and base in _FAMILIES and family not in _FAMILIES[base]:
                    self.add(
                        "error",
                        "OPERATOR_TYPE_MISMATCH",
                        f"operator {op!r} compares {family} values but {spec['key']} is of type {spec['type']}",
                        index,
                        st,
                        path,
                    )

    # --- resources ------------------------------------------------------------
    def resources(self, st: Mapping, named: list[list[Action] | None], entries: list, index: int) -> None:
        patterns: list[str | None] = []  # None: everything, or known only at apply time
        for pos, value in enumerate(_as_list(st.get("Resource"))):
            path = ("Resource", pos) if isinstance(st.get("Resource"), (list, tuple)) else ("Resource",)
            if not isinstance(value, str):
                self.add("error", "MALFORMED_ARN", f"Resource {value!r} is not a string", index, st, path)
            elif value == "*" or _TERRAFORM_REF.search(value):
                patterns.append(None)  # everything, or known only at apply time
            elif not value.startswith("arn:") or len(value.split(":", 5)) < 6:
                self.add(
                    "error",
                    "MALFORMED_ARN",
                    f"Resource {value!r} is not an ARN (arn:partition:service:region:account:resource)",
                    index,
                    st,
                    path,
                )
            else:
                patterns.append(value)
        if not patterns or None in patterns or "Action" not in st:
            if self.strict and st.get("Effect") == "Allow" and "*" in _as_list(st.get("Resource")):
                scoped = [a for g in named if g for a in g if a.resource_types]
                if scoped and len(scoped) == sum(len(g) for g in named if g) and None not in named:
                    self.add(
                        "warning",
                        "RESOURCE_STAR",
                        'Resource "*" on actions that support resource-level scoping '
                        f"({', '.join(sorted({a.full_name for a in scoped})[:4])}): name the resources",
                        index,
                        st,
                        ("Resource",),
                    )
            return
        arns = [p for p in patterns if p is not None]  # all of them: a None returned above
        for entry, group in zip(entries, named):
            if not group:
                continue
            if not any(resource_can_match(p, a, self.db) for p in arns for a in group):
                types = sorted({t for a in group for t in a.resource_types}) or ['only "*"']
                if st.get("Effect") == "Deny":
                    self.add(
                        "error",
                        "RESOURCE_NEVER_MATCHES",
                        f"guardrail hole: {entry} cannot apply to {', '.join(arns)} "
                        f"(its resource types: {', '.join(types)}), so this deny never matches it",
                        index,
                        st,
                        ("Resource",),
                    )
                else:
                    self.add(
                        "warning",
                        "RESOURCE_NEVER_MATCHES",
                        f"grant never applies: {entry} cannot apply to "
                        f"{', '.join(arns)} (its resource types: {', '.join(types)})",
                        index,
                        st,
                        ("Resource",),
                    )

    # --- principals -------------------------------------------------------------
    def principals(self, st: Mapping, index: int) -> None:
        has = [k for k in ("Principal", "NotPrincipal") if k in st]
        if self.kind == "scp":
            for key in has:
                self.add(
                    "error",
                    "SCP_PRINCIPAL",
                    f"{key} is not allowed in a service control policy (AWS's SCP syntax)",
                    index,
                    st,
                    (key,),
                )
            return
        if self.kind in ("trust", "resource") and not has:
            self.add("error", "MISSING_PRINCIPAL", f"a {self.kind} policy statement needs a Principal", index, st)
        if self.kind in ("identity", "permission_set"):
            for key in has:
                self.add("error", "IDENTITY_PRINCIPAL", f"{key} is not allowed in an identity policy", index, st, (key,))
        for key in has:
            value = st[key]
            aws = _as_list(value.get("AWS")) if isinstance(value, Mapping) else []
            for arn in aws:
                if not isinstance(arn, str) or arn == "*" or _ACCOUNT.match(arn) or _TERRAFORM_REF.search(arn):
                    continue
                if not re.match(r"^arn:aws[a-z-]*:(iam|sts)::(\d{12}|\*)?:[A-Za-z0-9+=,.@_/*-]+$", arn):
                    self.add(
                        "error",
                        "MALFORMED_PRINCIPAL",
                        f"{key} AWS {arn!r} is not an account id or an IAM/STS ARN",
                        index,
                        st,
                        (key, "AWS"),
                    )

    def statement(self, st: Any, index: int) -> None:
        if not isinstance(st, Mapping):
            self.add("error", "MALFORMED_STATEMENT", "a statement must be a mapping", index, {})
            return
        if st.get("Effect") not in ("Allow", "Deny"):
            self.add("error", "MALFORMED_STATEMENT", f"Effect {st.get('Effect')!r} must be Allow or Deny", index, st, ("Effect",))
        if ("Action" in st) == ("NotAction" in st):
            self.add("error", "MALFORMED_STATEMENT", "a statement has exactly one of Action and NotAction", index, st)
        field = "Action" if "Action" in st else "NotAction"
        entries = _as_list(st.get(field))
        named = self.actions(entries, field, index, st)
        any_action = field == "NotAction" or None in named
        self.conditions(st.get("Condition"), named if field == "Action" else [], any_action, index, st)
        if field == "Action":
            self.resources(st, named, entries, index)
        else:
            self.resources({k: v for k, v in st.items() if k != "Action"}, [], [], index)
        self.principals(st, index)


def statements_of(document: Any) -> list:
    if isinstance(document, str):
        document = json.loads(document)
    if isinstance(document, Mapping):
        return _as_list(document.get("Statement"))
    return list(document or ())


def validate_policy(
    document: Any,
    kind: str,
    owner: str = "",
    *,
    db: Database | None = None,
    max_size: int | None = None,
    strict: bool = False,
    owners_by_sid: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Every finding of one policy document (a dict, its JSON text, or a list of statements)."""
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r} is not one of {KINDS}")
    checker = _Checker(kind, owner, db or database(), strict, owners_by_sid or {})
    text = document if isinstance(document, str) else None
    for index, st in enumerate(statements_of(document)):
        checker.statement(st, index)
    if max_size is not None:
        size = len(json.dumps(json.loads(text), separators=(",", ":")) if text else json.dumps(document, separators=(",", ":")))
        if size > max_size:
            checker.findings.append(
                Finding("error", "POLICY_TOO_LARGE", f"{size:,} characters, over the quota of {max_size:,}", owner)
            )
    return checker.findings


def errors(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]
