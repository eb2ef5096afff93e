// Patrol plans page: list, create, propose/agree, log patrols, coverage.
"use strict";
(function () {
  const $ = (s) => document.querySelector(s);
  let session = null, current = null;

  async function api(method, path, body, type) {
    const h = { "X-CSRF-Token": session ? session.csrf : "" };
    let data = body;
    if (body !== undefined && type === undefined) { h["Content-Type"] = "application/json"; data = JSON.stringify(body); }
    else if (type) h["Content-Type"] = type;
    const r = await fetch(path, { method, headers: h, body: data, credentials: "same-origin" });
    const t = await r.text();
    let j = null;
    try { j = t ? JSON.parse(t) : null; } catch (e) { j = null; }
    if (!r.ok) throw new Error((j && j.error) || r.status + " " + r.statusText);
    return j;
  }
  function msg(text, err) { const m = $("#msg"); m.textContent = text; m.className = err ? "err" : ""; }
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) { if (k === "onclick") e.onclick = v; else e.setAttribute(k, v); }
    for (const k of kids) e.append(k);
    return e;
  }
  const unit = () => $("#unit").value;

  async function loadPlans(select) {
    const ps = await api("GET", "/api/v1/plans?unit=" + encodeURIComponent(unit()));
    const tb = $("#plans tbody"); tb.replaceChildren();
    for (const p of ps) {
      const tr = el("tr", { "data-plan": p.id }, el("td", {}, String(p.id)), el("td", {}, p.from.slice(0, 10) + " – " + p.to.slice(0, 10)),
        el("td", { class: "state" }, p.state), el("td", {}, String(p.version)));
      tr.onclick = () => show(p.id);
      tb.append(tr);
    }
    if (select) await show(select);
  }

  const can = {
    propose: (p) => session.role === "planner" && p.state === "draft",
    withdraw: (p) => session.role === "planner" && p.state === "proposed",
    agree: (p) => session.role === "chair" && p.state === "proposed",
    return: (p) => session.role === "chair" && p.state === "proposed",
    close: (p) => session.role === "chair" && p.state === "agreed",
    versions: (p) => session.role === "planner" && (p.state === "agreed" || p.state === "closed"),
  };

  async function show(id) {
    const p = await api("GET", "/api/v1/plans/" + id);
    current = p;
    document.querySelectorAll("#plans tr").forEach((tr) => tr.classList.toggle("sel", tr.dataset.plan == id));
    $("#detail").hidden = false;
    $("#title").textContent = "Plan " + p.id + " · " + p.unit + " · " + p.from.slice(0, 10) + " to " + p.to.slice(0, 10);
    $("#state-line").replaceChildren("State ", el("span", { class: "state", "data-testid": "plan-state" }, p.state),
      " · version " + p.version + (p.agreed_by ? " · agreed by " + p.agreed_by : ""), " · ",
      el("a", { href: "/plans/" + p.id + "/briefing", target: "_blank" }, "Printable briefing"));
    const acts = $("#actions"); acts.replaceChildren();
    for (const [name, ok] of Object.entries(can)) {
      if (!ok(p)) continue;
      acts.append(el("button", { "data-action": name, onclick: async () => {
        try { const q = await api("POST", "/api/v1/plans/" + p.id + "/" + name, { version: p.version }); msg(name + ": done"); await loadPlans(q.id); }
        catch (e) { msg(e.message, true); }
      } }, name === "versions" ? "new version" : name));
    }
    const tb = $("#areas tbody"); tb.replaceChildren();
    for (const a of p.areas || []) {
      tb.append(el("tr", {}, el("td", {}, String(a.rank)), el("td", {}, a.id), el("td", {}, String(a.cells.length)),
        el("td", {}, (a.harm || 0).toFixed(0)), el("td", {}, (a.doses || []).map((d) => d.band + ": " + d.visits + "×" + d.visit_minutes + " min").join("; "))));
    }
    $("#patrol-box").hidden = !(session.role === "planner" && p.state === "agreed");
    try {
      const c = await api("GET", "/api/v1/plans/" + p.id + "/changes");
      $("#changes").textContent = "Against the previous period" + (c.previous ? " (plan " + c.previous + ")" : "") + ": " +
        c.new.length + " new, " + c.persistent.length + " persistent, " + c.dropped.length + " dropped cells.";
      const f = await api("GET", "/api/v1/plans/" + p.id + "/fit");
      $("#fit").textContent = f.shortfall.length ? "Capacity shortfall: " + f.short_minutes + " min/day over " + f.shortfall.length + " area-bands (force support needed)." : "Doses fit the unit's capacity.";
    } catch (e) { msg(e.message, true); }
    $("#coverage tbody").replaceChildren(); $("#cov-totals").textContent = "";
  }

  async function coverage(ev) {
    if (ev) ev.preventDefault();
    const f = new FormData($("#cov-form"));
    const qs = new URLSearchParams();
    if (f.get("from")) qs.set("from", f.get("from"));
    if (f.get("to")) qs.set("to", f.get("to"));
    try {
      const c = await api("GET", "/api/v1/plans/" + current.id + "/coverage?" + qs);
      $("#cov-totals").textContent = c.covered + " covered, " + c.short + " short, " + c.missed + " missed";
      const tb = $("#coverage tbody"); tb.replaceChildren();
      for (const r of c.rows) {
        tb.append(el("tr", { class: r.status, "data-status": r.status }, el("td", {}, r.date), el("td", {}, r.band), el("td", {}, r.area),
          el("td", {}, r.logged_minutes + " min / " + r.visits), el("td", {}, r.need_minutes + " min / " + r.need_visits), el("td", {}, r.status)));
      }
    } catch (e) { msg(e.message, true); }
  }

  async function upload() {
    let text = $("#csv").value;
    const file = $("#csv-file").files[0];
    if (file) text = await file.text();
    try {
      const r = await api("POST", "/api/v1/plans/" + current.id + "/patrols.csv?name=" + encodeURIComponent(file ? file.name : "form.csv"), text, "text/csv");
      msg(r.stored + " patrols stored");
    } catch (e) { msg(e.message, true); }
  }

  async function create(ev) {
    ev.preventDefault();
    const f = new FormData(ev.target);
    try {
      const p = await api("POST", "/api/v1/plans", { unit: unit(), from: f.get("from"), to: f.get("to"),
        from_ranking: { band: f.get("band"), top: Number(f.get("top")) || 5 } });
      msg("plan " + p.id + " created");
      await loadPlans(p.id);
    } catch (e) { msg(e.message, true); $("#detail").hidden = false; }
  }

  async function start() {
    session = await api("GET", "/api/v1/session");
    $("#who").textContent = session.user + " (" + session.role + (session.unit ? ", " + session.unit : "") + ")";
    const units = await api("GET", "/api/v1/units");
    for (const f of units.features) {
      if (session.unit && f.properties.code !== session.unit) continue;
      $("#unit").append(el("option", { value: f.properties.code }, f.properties.code + " " + f.properties.name));
    }
    const bands = await api("GET", "/api/v1/bands");
    for (const b of bands) $("#band").append(el("option", { value: b.name }, b.label || b.name));
    const want = new URLSearchParams(location.search).get("unit");
    if (want) $("#unit").value = want;
    $("#unit").onchange = () => loadPlans();
    $("#new-plan").onsubmit = create;
    $("#new-plan").hidden = session.role !== "planner";
    $("#cov-form").onsubmit = coverage;
    $("#upload").onclick = upload;
    await loadPlans();
    document.body.dataset.ready = "1";
  }
  start().catch((e) => { document.body.dataset.ready = "error"; msg(e.message, true); $("#detail").hidden = false; });
})();
