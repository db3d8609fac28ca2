// triage web queue: keyboard, live countdowns, live updates (server-sent events) and presence. No build step.
"use strict";
(function () {
  const page = document.body.dataset.page;
  const me = document.body.dataset.me;
  const csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  const serverNow = Date.parse((document.querySelector('meta[name="server-now"]') || {}).content || "");
  const skew = isNaN(serverNow) ? 0 : serverNow - Date.now(); // ages follow the server's clock (pinned in demos)

  function compact(seconds) {
    const s = Math.floor(Math.abs(seconds));
    if (s < 60) return s + "s";
    if (s < 3600) return Math.floor(s / 60) + "m";
    if (s < 86400) return Math.floor(s / 3600) + "h" + String(Math.floor((s % 3600) / 60)).padStart(2, "0") + "m";
    return Math.floor(s / 86400) + "d" + Math.floor((s % 86400) / 3600) + "h";
  }
  function tick() {
    const now = Date.now() + skew;
    document.querySelectorAll("time.countdown").forEach(function (t) {
      const left = (Date.parse(t.getAttribute("datetime")) - now) / 1000;
      if (isNaN(left)) return;
      t.textContent = left >= 0 ? "in " + compact(left) : "overdue " + compact(-left);
      t.classList.toggle("overdue", left < 0);
    });
  }
  tick();
  setInterval(tick, 1000);

  function post(action, fields) {
    const form = document.createElement("form");
    form.method = "post";
    form.action = action;
    Object.entries(Object.assign({ csrf_token: csrf }, fields || {})).forEach(function ([k, v]) {
      const input = document.createElement("input");
      input.type = "hidden"; input.name = k; input.value = v;
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  }

  // -- the queue: selection and j/k ------------------------------------------------------------------------
  let selectedId = sessionStorage.getItem("triage-selected");
  function rows() { return Array.from(document.querySelectorAll("#rows tr[data-id]")); }
  function select(row) {
    rows().forEach(function (r) { r.classList.remove("selected"); r.removeAttribute("aria-current"); });
    if (!row) return;
    row.classList.add("selected");
    row.setAttribute("aria-current", "true");
    selectedId = row.dataset.id;
    sessionStorage.setItem("triage-selected", selectedId);
    const link = row.querySelector("a");
    if (link) link.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }
  function selected() { return rows().find(function (r) { return r.dataset.id === selectedId; }) || null; }
  function move(step) {
    const all = rows();
    if (!all.length) return;
    const i = all.indexOf(selected());
    select(all[Math.max(0, Math.min(all.length - 1, i < 0 ? 0 : i + step))]);
  }
  function restoreSelection() {
    const row = selected() || rows()[0];
    if (row) { row.classList.add("selected"); selectedId = row.dataset.id; }
  }

  // -- presence --------------------------------------------------------------------------------------------
  let presence = {};
  function showPresence() {
    document.querySelectorAll("[data-viewing]").forEach(function (cell) {
      const people = presence[cell.dataset.viewing] || [];
      cell.textContent = people.map(function (p) { return p.user + (p.editing ? " (editing)" : ""); }).join(", ");
    });
    const line = document.getElementById("presence");
    const head = document.querySelector("[data-conv]");
    if (line && head) {
      const others = (presence[head.dataset.conv] || []).filter(function (p) { return p.user !== me; });
      line.textContent = others.map(function (p) { return p.user + (p.editing ? " is editing" : " is viewing"); }).join("; ");
    }
  }

  // -- live updates ----------------------------------------------------------------------------------------
  if (page === "queue" || page === "conversation") {
    const head = document.querySelector("[data-conv]");
    const source = new EventSource("/events" + (head ? "?c=" + head.dataset.conv : ""));
    source.addEventListener("change", function () {
      if (page === "queue" && window.htmx) window.htmx.trigger("#rows", "refresh");
    });
    // On every (re)connect: what was stored between the page's render and the stream's start.
    source.addEventListener("open", function () {
      if (page === "queue" && window.htmx) window.htmx.trigger("#rows", "refresh");
    });
    source.addEventListener("conversation", function () {
      const changed = document.getElementById("changed");
      if (changed) changed.hidden = false;
    });
    source.addEventListener("presence", function (e) { presence = JSON.parse(e.data); showPresence(); });
    source.addEventListener("logout", function () { source.close(); window.location.href = "/login"; });
    document.body.addEventListener("htmx:afterSwap", function () { restoreSelection(); showPresence(); tick(); });
  }
  if (page === "queue") restoreSelection();

  // -- the draft editor: tell the others while someone is typing -------------------------------------------
  const body = document.getElementById("body");
  const head = document.querySelector("[data-conv]");
  let editingSent = false;
  function editing(on) {
    if (!head || editingSent === on) return;
    editingSent = on;
    fetch("/c/" + head.dataset.conv + "/editing", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": csrf },
      body: "editing=" + (on ? "1" : "0"),
    });
  }
  if (body) {
    body.addEventListener("input", function () { editing(true); });
    body.addEventListener("blur", function () { if (body.value === body.defaultValue) editing(false); });
  }

  const relabel = document.querySelector('#relabel input[name="intent"]');
  // -- keyboard --------------------------------------------------------------------------------------------
  const help = document.getElementById("help");
  const helpButton = document.querySelector(".help-button");
  if (helpButton && help) helpButton.addEventListener("click", function () { help.showModal(); });
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.target;
    const typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT");
    if (typing) {
      if (e.key === "Escape") target.blur();
      return;
    }
    if (help && help.open) return;
    const key = e.key;
    if (key === "?") { e.preventDefault(); if (help) help.showModal(); return; }
    if (page === "queue") {
      const row = selected();
      if (key === "j") { e.preventDefault(); move(1); }
      else if (key === "k") { e.preventDefault(); move(-1); }
      else if ((key === "Enter" || key === "o") && row) { e.preventDefault(); window.location.href = row.dataset.href; }
      else if (key === "r" && row) { e.preventDefault(); window.location.href = row.dataset.href + "#body"; }
      else if (key === "e" && row) { e.preventDefault(); post(row.dataset.href + "/done", { next: location.pathname + location.search }); }
      else if (key === "a" && row) { e.preventDefault(); post(row.dataset.href + "/assign", { user: me, next: location.pathname + location.search }); }
      else if (key === "/") { e.preventDefault(); document.getElementById("q").focus(); }
    } else if (page === "conversation" && head) {
      const id = head.dataset.conv;
      if (key === "r" && body) { e.preventDefault(); body.focus(); }
      else if (key === "l" && relabel) { e.preventDefault(); relabel.scrollIntoView({ block: "nearest" }); relabel.focus(); }
      else if (key === "e") { e.preventDefault(); post("/c/" + id + "/done", { next: "/" }); }
      else if (key === "a") { e.preventDefault(); post("/c/" + id + "/assign", { user: me }); }
      else if (key === "/") { e.preventDefault(); window.location.href = "/#q"; }
      else if (key === "k" || key === "u") { e.preventDefault(); window.location.href = "/"; }
    }
  });
  if (page === "conversation" && body && location.hash === "#body") body.focus();
  if (page === "queue" && location.hash === "#q") document.getElementById("q").focus();
  document.body.dataset.ready = "1"; // the shortcuts are live (tests wait for this)
})();
