/* lz dashboard: views, search, matrices with pages, account / control / group details. No dependencies. */
(function () {
  "use strict";
  var D = window.LZ_DASHBOARD;
  var PAGE = 25; // accounts per matrix page: 1,000 accounts never put 61,000 cells in the page at once
  var VIEWS = ["organization", "guardrails", "access", "network", "compliance"];
  var CODE = { root: "R", ou: "O", account: "A" };
  var accountByName = {}, controlById = {};
  D.accounts.forEach(function (a, i) { a.index = i; accountByName[a.name] = a; });
  D.controls.forEach(function (c, i) { c.index = i; controlById[c.id] = c; });

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === "text") e.textContent = attrs[k];
      else if (k === "class") e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c != null) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return e;
  }
  function link(href, text) { return el("a", { href: href, text: text }); }
  function accountHref(name) { return "#account/" + encodeURIComponent(name); }
  function table(caption, headers, rows, cls) {
    var thead = el("thead", null, [el("tr", null, headers.map(function (h) { return el("th", { scope: "col", text: h }); }))]);
    var tbody = el("tbody", null, rows.map(function (r) {
      return el("tr", null, r.map(function (cell, i) {
        var c = el(i === 0 ? "th" : "td", i === 0 ? { scope: "row" } : null);
        if (cell instanceof Node) c.appendChild(cell); else c.textContent = cell == null ? "" : String(cell);
        return c;
      }));
    }));
    return el("table", cls ? { class: cls } : null, [el("caption", { text: caption }), thead, tbody]);
  }
  function dl(pairs) {
    var d = el("dl", { class: "facts" });
    pairs.forEach(function (p) { d.appendChild(el("dt", { text: p[0] })); var dd = el("dd"); if (p[1] instanceof Node) dd.appendChild(p[1]); else dd.textContent = p[1]; d.appendChild(dd); });
    return d;
  }
  function pre(obj) { return el("pre", { text: typeof obj === "string" ? obj : JSON.stringify(obj, null, 2) }); }

  /* ---- matrices: rows are controls (or groups), columns are a page of accounts ---- */
  function columnFilter(fieldset) {
    var input = fieldset && fieldset.querySelector("input.column-filter");
    var q = input ? input.value.trim().toLowerCase() : "";
    return D.accounts.filter(function (a) { return !q || a.name.toLowerCase().indexOf(q) >= 0 || a.ou.toLowerCase().indexOf(q) >= 0; });
  }
  function Matrix(host, fieldset, rowsFn, cellFn, caption) {
    this.host = host; this.fieldset = fieldset; this.rowsFn = rowsFn; this.cellFn = cellFn; this.caption = caption; this.page = 0;
    var self = this;
    if (fieldset) fieldset.addEventListener("input", function () { self.page = 0; self.render(); });
  }
  Matrix.prototype.pages = function () { return Math.max(1, Math.ceil(this.columns.length / PAGE)); };
  Matrix.prototype.turn = function (delta) {
    var p = Math.min(this.pages() - 1, Math.max(0, this.page + delta));
    if (p !== this.page) { this.page = p; this.render(); }
  };
  Matrix.prototype.render = function () {
    var self = this;
    this.columns = columnFilter(this.fieldset);
    if (this.page >= this.pages()) this.page = this.pages() - 1;
    var cols = this.columns.slice(this.page * PAGE, (this.page + 1) * PAGE);
    var rows = this.rowsFn(this.fieldset);
    var thead = el("thead", null, [el("tr", null, [el("th", { scope: "col", text: this.caption.corner })].concat(cols.map(function (a) {
      return el("th", { scope: "col", class: "acct", title: a.ou || "root" }, [link(accountHref(a.name), a.name)]);
    })))]);
    var tbody = el("tbody");
    rows.forEach(function (r) {
      var tr = el("tr", { "data-row": r.key }, [el("th", { scope: "row" }, [r.head])]);
      cols.forEach(function (a) { tr.appendChild(self.cellFn(r, a)); });
      tbody.appendChild(tr);
    });
    var first = this.columns.length ? this.page * PAGE + 1 : 0, last = Math.min(this.columns.length, (this.page + 1) * PAGE);
    var prev = el("button", { type: "button", class: "prev", "aria-label": "Previous accounts" }, ["← Previous"]);
    var next = el("button", { type: "button", class: "next", "aria-label": "Next accounts" }, ["Next →"]);
    prev.disabled = this.page === 0; next.disabled = this.page >= this.pages() - 1;
    prev.addEventListener("click", function () { self.turn(-1); self.host.querySelector(".prev").focus(); });
    next.addEventListener("click", function () { self.turn(1); self.host.querySelector(".next").focus(); });
    var status = el("span", { class: "page-status", "aria-live": "polite",
      text: "accounts " + first + "–" + last + " of " + this.columns.length + " · " + rows.length + " " + this.caption.rows + " · page " + (this.page + 1) + " of " + this.pages() });
    var tableEl = el("table", { class: "matrix", "data-rows": rows.length, "data-columns": cols.length },
      [el("caption", { text: this.caption.text }), thead, tbody]);
    this.host.replaceChildren(el("div", { class: "pager" }, [prev, next, status]), tableEl);
    gridKeys(tableEl, cols);
  };

  /* Arrow keys move between the cells of a matrix (one tab stop for the whole grid); Enter opens the cell's account. */
  function gridKeys(tableEl, cols) {
    var cells = Array.prototype.map.call(tableEl.tBodies[0].rows, function (tr) { return Array.prototype.slice.call(tr.querySelectorAll("td")); });
    if (!cells.length || !cells[0].length) return;
    cells.forEach(function (row) { row.forEach(function (td) { td.tabIndex = -1; }); });
    cells[0][0].tabIndex = 0;
    tableEl.addEventListener("keydown", function (e) {
      var td = e.target.closest && e.target.closest("td.cell");
      if (!td) return;
      var r = td.parentNode.sectionRowIndex, c = td.cellIndex - 1, nr = r, nc = c;
      if (e.key === "ArrowRight") nc++; else if (e.key === "ArrowLeft") nc--;
      else if (e.key === "ArrowDown") nr++; else if (e.key === "ArrowUp") nr--;
      else if (e.key === "Home") nc = 0; else if (e.key === "End") nc = cells[r].length - 1;
      else if (e.key === "Enter") { location.hash = accountHref(cols[c].name); e.preventDefault(); return; }
      else return;
      e.preventDefault();
      nr = Math.max(0, Math.min(cells.length - 1, nr)); nc = Math.max(0, Math.min(cells[nr].length - 1, nc));
      td.tabIndex = -1; cells[nr][nc].tabIndex = 0; cells[nr][nc].focus();
    });
  }

  function checked(fieldset, name) {
    return Array.prototype.filter.call(fieldset.querySelectorAll("input[name=" + name + "]"), function (i) { return i.checked; })
      .map(function (i) { return i.value; });
  }
  function sourceCell(a, c) {
    var t = a.m[c.index];
    if (t < 0) return el("td", { class: "cell", title: c.id + " does not apply to " + a.name, text: "·" });
    var target = D.targets[t], code = CODE[target.kind];
    return el("td", { class: "cell src-" + code, title: c.id + " on " + a.name + ": from " + target.label, "aria-label": "from " + target.label, text: code });
  }

  var matrices = [];
  var gHost = document.getElementById("guardrail-matrix");
  if (gHost) {
    var gm = new Matrix(gHost, document.getElementById("matrix-filters"), function (fs) {
      var tiers = checked(fs, "tier"), behaviours = checked(fs, "behaviour");
      return D.controls.filter(function (c) { return tiers.indexOf(c.tier) >= 0 && behaviours.indexOf(c.behaviour) >= 0; })
        .map(function (c) { return { key: c.id, head: link("#control/" + c.id, c.id), control: c }; });
    }, function (r, a) { return sourceCell(a, r.control); },
    { text: "Controls × accounts: where each control comes from", corner: "control", rows: "controls" });
    matrices.push(gm);
  }
  var aHost = document.getElementById("access-matrix");
  if (aHost) {
    var am = new Matrix(aHost, document.getElementById("access-filters"), function () {
      return D.identity.groups.map(function (g, i) { return { key: g.name, head: link("#group/" + encodeURIComponent(g.name), g.name), group: i }; });
    }, function (r, a) {
      var sets = a.g.filter(function (x) { return x[0] === r.group; }).map(function (x) { return D.identity.permission_sets[x[1]].name; });
      return el("td", { class: "cell" + (sets.length ? " src-O" : ""), title: sets.length ? r.key + " in " + a.name + ": " + sets.join(", ") : "", text: sets.join(", ") || "·" });
    }, { text: "Groups × accounts: the permission sets each group holds", corner: "group", rows: "groups" });
    matrices.push(am);
  }
  var cHost = document.getElementById("compliance-heatmap");
  if (cHost && D.compliance) {
    var heat = D.compliance.heatmap;
    var cm = new Matrix(cHost, null, function () {
      return Object.keys(heat).map(function (id) { return { key: id, head: link("#control/" + id, id), id: id }; });
    }, function (r, a) {
      var v = (heat[r.id] || {})[a.name];
      if (!v) return el("td", { class: "cell", text: "·", title: "no data" });
      return el("td", { class: "cell " + (v[0] ? "bad" : "good"), text: v[0] ? String(v[0]) : "✓",
        title: r.id + " in " + a.name + ": " + v[0] + " non-compliant, " + v[1] + " compliant" });
    }, { text: "Controls × accounts: non-compliant resources (✓ all compliant)", corner: "control", rows: "controls" });
    matrices.push(cm);
  }
  matrices.forEach(function (m) { m.render(); });
  function visibleMatrix() { return matrices.filter(function (m) { return m.host.offsetParent !== null; })[0]; }

  /* ---- details ---- */
  var detail = document.getElementById("detail");
  function accountDetail(a) {
    var rows = [];
    D.controls.forEach(function (c) {
      var t = a.m[c.index];
      if (t >= 0) rows.push([link("#control/" + c.id, c.id), c.title, c.tier, c.behaviour, D.targets[t].label]);
    });
    var grants = a.g.map(function (g) {
      return [link("#group/" + encodeURIComponent(D.identity.groups[g[0]].name), D.identity.groups[g[0]].name),
        D.identity.permission_sets[g[1]].name, g[2].map(function (i) { return D.identity.assignments[i]; }).join(", ")];
    });
    var vpcs = D.network.vpcs.filter(function (v) { return v.account === a.name; }).map(function (v) { return [v.name, v.cidr, v.region, v.attached.join(", ") || "—"]; });
    var parts = [
      el("h2", { id: "account-" + a.name, text: "Account " + a.name }),
      el("p", null, [link("#organization", "← Organization")]),
      dl([["OU", a.ou ? link("#ou/" + encodeURIComponent(a.ou), a.ou) : "organization root"], ["Kind", a.kind], ["Status", a.flags.join(", ") || "active"],
        ["Account id", a.id || "assigned when created"], ["Email", a.email || "—"], ["Stacks", a.stacks.join(", ") || "none of its own"]]),
      el("h3", { text: "Guardrails (" + rows.length + ")" }),
      table("Controls that reach " + a.name + " and where each is attached", ["Control", "Title", "Tier", "Behaviour", "From"], rows, "account-guardrails"),
      el("h3", { text: "Access (" + grants.length + " grants)" }),
      grants.length ? table("Who holds what in " + a.name, ["Group", "Permission set", "Via assignment"], grants, "account-access") : el("p", { text: "No group holds a permission set here." })
    ];
    if (vpcs.length) parts.push(el("h3", { text: "VPCs" }), table("VPCs owned by " + a.name, ["VPC", "CIDR", "Region", "Attached to"], vpcs));
    if (D.compliance && D.compliance.timeline[a.name]) {
      var episodes = D.compliance.timeline[a.name].map(function (v) {
        return [v[0], v[1] || "open", link("#control/" + v[2], v[2]), v[3], v[4], String(v[5])];
      });
      parts.push(el("h3", { text: "Compliance timeline" }),
        table("Violations in " + a.name + ", oldest first (" + D.compliance.source + ")", ["Started", "Fixed", "Control", "Resource", "Region", "Seen non-compliant"], episodes, "timeline"));
    }
    return parts;
  }
  function controlDetail(c) {
    var applied = D.accounts.filter(function (a) { return a.m[c.index] >= 0; });
    var parts = [
      el("h2", { id: "control-detail-" + c.id, text: c.id }),
      el("p", null, [link("#guardrails", "← Guardrails")]),
      el("p", { class: "title", text: c.title }),
      dl([["Tier", c.tier], ["Behaviour", c.behaviour], ["Attached to", c.targets.join(", ")], ["Accounts", String(applied.length)]]
        .concat(Object.keys(c.references).map(function (k) { return ["Reference: " + k, String(c.references[k])]; }))
        .concat(Object.keys(c.parameters).map(function (k) { return ["Parameter " + k, JSON.stringify(c.parameters[k])]; })))
    ];
    if (c.statements.length) parts.push(el("h3", { text: "SCP statements" }), pre(c.statements));
    if (c.config_rule) parts.push(el("h3", { text: "Config rule" }), dl([["Rule", c.config_rule.name], ["Managed rule", c.config_rule.source_identifier],
      ["Resource types", c.config_rule.resource_types.join(", ") || "—"], ["Regions", c.config_rule.regions.join(", ")],
      ["Frequency", c.config_rule.maximum_execution_frequency || "on change"]]), pre(c.config_rule.input_parameters));
    parts.push(el("h3", { text: "Runbook" }));
    if (c.runbook) {
      parts.push(dl([["Runbook", c.runbook.name], ["What it does", c.runbook.description], ["Steps", c.runbook.steps.join(" → ")],
        ["Calls", c.runbook.permissions.join(", ")]]), el("p", null, ["Run it: ", el("code", { class: "command", text: c.runbook.command })]));
    } else {
      parts.push(el("p", { text: c.behaviour === "preventive" ? "Preventive: the SCP denies the action, there is nothing to fix afterwards."
        : "No runbook: a violation is notified to the security topic and fixed by hand." }));
    }
    if (c.deviations.length) parts.push(el("h3", { text: "Deviations from Control Tower" }), el("ul", null, c.deviations.map(function (d) { return el("li", { text: d }); })));
    parts.push(el("details", null, [el("summary", { text: "Accounts it reaches (" + applied.length + ")" }),
      el("ul", null, applied.map(function (a) { return el("li", null, [link(accountHref(a.name), a.name), " from " + D.targets[a.m[c.index]].label]); }))]));
    return parts;
  }
  function groupDetail(name) {
    var gi = D.identity.groups.findIndex(function (g) { return g.name === name; });
    if (gi < 0) return null;
    var users = D.identity.users.filter(function (u) { return u.groups.indexOf(name) >= 0; }).map(function (u) { return [u.user_name, u.display_name]; });
    var grants = [];
    D.accounts.forEach(function (a) { a.g.forEach(function (g) { if (g[0] === gi) grants.push([link(accountHref(a.name), a.name), D.identity.permission_sets[g[1]].name]); }); });
    return [el("h2", { text: "Group " + name }), el("p", null, [link("#access", "← Access")]), el("p", { text: D.identity.groups[gi].description }),
      el("h3", { text: "Users (" + users.length + ")" }), table("Users in " + name, ["User", "Display name"], users),
      el("h3", { text: "Grants (" + grants.length + ")" }), table("Accounts where " + name + " holds a permission set", ["Account", "Permission set"], grants)];
  }

  /* ---- routing ---- */
  var tabs = document.querySelectorAll(".tabs a");
  function show(view) {
    document.querySelectorAll("main > .view").forEach(function (s) { s.hidden = s.id !== view; });
    tabs.forEach(function (t) { if (t.dataset.view === view) t.setAttribute("aria-current", "page"); else t.removeAttribute("aria-current"); });
  }
  function highlight(node) {
    document.querySelectorAll(".highlight").forEach(function (n) { n.classList.remove("highlight"); });
    if (node) { node.classList.add("highlight"); node.scrollIntoView({ block: "center" }); }
  }
  function route() {
    var hash = decodeURIComponent(location.hash.slice(1)), slash = hash.indexOf("/");
    var kind = slash < 0 ? hash : hash.slice(0, slash), key = slash < 0 ? "" : hash.slice(slash + 1), parts = null;
    if (kind === "account" && accountByName[key]) parts = accountDetail(accountByName[key]);
    else if (kind === "control" && controlById[key]) parts = controlDetail(controlById[key]);
    else if (kind === "group") parts = groupDetail(key);
    else if (kind === "ou") { show("organization"); highlight(document.getElementById("ou-" + (key || "root"))); return; }
    else if (kind === "vpc") { show("network"); highlight(document.querySelector('.network-diagram [data-name="' + CSS.escape(key) + '"]')); return; }
    if (parts) {
      detail.dataset.back = { account: "#organization", control: "#guardrails", group: "#access" }[kind];
      detail.replaceChildren.apply(detail, parts);
      show("detail");
      var h = detail.querySelector("h2"); h.tabIndex = -1; h.focus();
      window.scrollTo(0, 0);
      return;
    }
    show(VIEWS.indexOf(kind) >= 0 && document.getElementById(kind) ? kind : "organization");
    window.scrollTo(0, 0); // the header (search, views) stays in sight
  }
  window.addEventListener("hashchange", route);

  /* ---- search ---- */
  var index = [];
  D.ous.forEach(function (o) { index.push({ label: o.path || "Root", kind: "OU", href: "#ou/" + encodeURIComponent(o.path) }); });
  D.accounts.forEach(function (a) { index.push({ label: a.name, kind: "account · " + (a.ou || "root"), href: accountHref(a.name), extra: a.id }); });
  D.controls.forEach(function (c) { index.push({ label: c.id, kind: "control · " + c.title, href: "#control/" + c.id, extra: c.title }); });
  D.identity.groups.forEach(function (g) { index.push({ label: g.name, kind: "group", href: "#group/" + encodeURIComponent(g.name) }); });
  D.network.vpcs.forEach(function (v) { index.push({ label: v.name, kind: "VPC · " + v.cidr, href: "#vpc/" + encodeURIComponent(v.name), extra: v.cidr }); });
  var search = document.getElementById("search"), results = document.getElementById("search-results"), active = -1, found = [];
  function paint() {
    results.replaceChildren.apply(results, found.map(function (r, i) {
      var li = el("li", { role: "option", id: "result-" + i, "aria-selected": i === active ? "true" : "false" }, [r.label, el("span", { class: "kind", text: r.kind })]);
      li.addEventListener("mousedown", function (e) { e.preventDefault(); go(i); });
      return li;
    }));
    results.hidden = !found.length; search.setAttribute("aria-expanded", found.length ? "true" : "false");
    if (active >= 0) { search.setAttribute("aria-activedescendant", "result-" + active); results.children[active].scrollIntoView({ block: "nearest" }); }
    else search.removeAttribute("aria-activedescendant");
  }
  function go(i) { var r = found[i]; found = []; active = -1; paint(); search.value = ""; if (r) location.hash = r.href; }
  search.addEventListener("input", function () {
    var q = search.value.trim().toLowerCase();
    found = !q ? [] : index.filter(function (r) { return r.label.toLowerCase().indexOf(q) >= 0 || (r.extra && String(r.extra).toLowerCase().indexOf(q) >= 0); }).slice(0, 30);
    active = found.length ? 0 : -1; paint();
  });
  search.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" && found.length) { active = (active + 1) % found.length; paint(); e.preventDefault(); }
    else if (e.key === "ArrowUp" && found.length) { active = (active - 1 + found.length) % found.length; paint(); e.preventDefault(); }
    else if (e.key === "Enter" && active >= 0) { go(active); e.preventDefault(); }
    else if (e.key === "Escape") { search.value = ""; found = []; active = -1; paint(); search.blur(); }
  });
  search.addEventListener("blur", function () { setTimeout(function () { found = []; active = -1; paint(); }, 100); });

  /* ---- theme and keys ---- */
  var root = document.documentElement;
  function effectiveTheme() {
    var t = root.dataset.theme;
    if (t === "light" || t === "dark") return t;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  function toggleTheme() {
    var t = effectiveTheme() === "dark" ? "light" : "dark";
    root.dataset.theme = t;
    try { localStorage.setItem("lz-theme", t); } catch (e) { /* file:// in a locked-down browser */ }
  }
  document.getElementById("theme-toggle").addEventListener("click", toggleTheme);
  document.addEventListener("keydown", function (e) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test((e.target && e.target.tagName) || "");
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    var m;
    if (e.key === "/") { search.focus(); e.preventDefault(); }
    else if (e.key === "t") toggleTheme();
    else if (e.key === "Escape" && !detail.hidden) location.hash = detail.dataset.back; // the view the detail belongs to
    else if ((e.key === "[" || e.key === "]") && (m = visibleMatrix())) m.turn(e.key === "]" ? 1 : -1);
  });
  route();
  document.body.dataset.readyMs = String(Math.round(performance.now())); // bench/dashboard_page.py reads it
  document.body.dataset.ready = "true";
})();
