// Live updates of the dashboard over the service's WebSocket streams (the session cookie authenticates them).
(function () {
  "use strict";
  const page = document.body.dataset.page;
  const account = document.body.dataset.account;
  const updates = document.getElementById("updates");
  const live = document.getElementById("live");
  const signals = document.getElementById("signals");
  const text = (id, value) => { const node = document.getElementById(id); if (node && value !== undefined && value !== null) node.textContent = value; };
  const escape = (value) => String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const price = (value) => Number(value).toLocaleString("en-US", { maximumFractionDigits: 2, useGrouping: false });
  const ratio = (value) => (value === null || value === undefined ? "—" : Number(value).toPrecision(6));

  function counted() {
    const n = Number(updates.dataset.updates) + 1;
    updates.dataset.updates = String(n);
    updates.textContent = String(n);
  }

  function addSignal(message) {
    const empty = signals.querySelector(".empty");
    if (empty) empty.remove();
    const item = document.createElement("li");
    item.className = "new";
    const target = message.subject === "account" ? `<a href="/dashboard/accounts/${encodeURIComponent(message.id)}">${escape(message.id)}</a>` : `group ${escape(message.id)}`;
    item.innerHTML = `<span class="kind ${escape(message.kind)}">${escape(message.kind)}</span>#${message.sequence} ${target} ${escape(message.pool)}: ` +
      `${escape(message.from)} → ${escape(message.to)} <span class="small">(margin balance ${escape(message.margin_balance)}, maintenance ${escape(message.maintenance)})</span>`;
    signals.prepend(item);
    while (signals.children.length > 200) signals.lastChild.remove();
  }

  function showSystem(message) {
    const summary = message.summary;
    text("last-sequence", "#" + summary.last_sequence);
    text("last-time", summary.last_time);
    text("accounts", summary.accounts);
    text("groups", summary.groups);
    text("state-hash", summary.state_hash);
    for (const [state, count] of Object.entries(summary.units)) text("units-" + state, count);
    const assets = document.getElementById("assets");
    if (assets) assets.innerHTML = summary.assets.map((a) => `<tr><td>${escape(a.asset)}</td><td class="num">${escape(a.balances)}</td><td class="num">${escape(a.deposits)}</td>` +
      `<td class="num">${escape(a.withdrawals)}</td><td class="num">${escape(a.fees)}</td><td class="num">${escape(a.insurance_fund)}</td></tr>`).join("");
  }

  async function refreshAtRisk() {
    const table = document.getElementById("at-risk");
    if (!table) return;
    const response = await fetch("/v1/at-risk?limit=20", { credentials: "same-origin" });
    if (!response.ok) return;
    const document_ = await response.json();
    table.tBodies[0].innerHTML = document_.entries.map((e) => `<tr class="${escape(e.state)}"><td><a href="/dashboard/accounts/${encodeURIComponent(e.account)}">${escape(e.subject)} ${escape(e.id)}</a></td>` +
      `<td>${escape(e.model)}</td><td><span class="pill ${escape(e.state)}">${escape(e.state)}</span></td><td class="num">${ratio(e.margin_ratio)}</td>` +
      `<td class="num">${escape(e.margin_balance)}</td><td class="num">${escape(e.maintenance_margin)}</td></tr>`).join("");
  }

  function showStatus(message) {
    const state = document.getElementById("state");
    if (state) { state.textContent = message.state; state.className = "pill " + message.state; }
    text("margin-ratio", ratio(message.margin_ratio));
    text("margin-balance", message.margin_balance);
    text("equity", message.equity);
    text("maintenance", message.maintenance_margin);
    text("initial", message.initial_margin);
    text("available", message.available);
    const positions = document.getElementById("positions");
    if (positions && message.positions.length) positions.tBodies[0].innerHTML = message.positions.map((p) => `<tr><td>${escape(p.instrument)}${p.position_side ? ' ' + escape(p.position_side) : ''}</td><td>${escape(p.mode)}</td>` +
      `<td class="num">${escape(p.size)}</td><td class="num">${price(p.mark_price)}</td><td class="num">${escape(p.unrealised_pnl)}</td><td class="num">${escape(p.maintenance)}</td>` +
      `<td class="num">${p.liquidation_price === null ? "none" : price(p.liquidation_price)}</td></tr>`).join("");
  }

  function connect() {
    const path = page === "account" ? `/v1/accounts/${encodeURIComponent(account)}/stream` : "/v1/stream";
    const socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + path);
    socket.onopen = () => { live.textContent = "live"; live.className = "live on"; };
    socket.onclose = (event) => {
      live.textContent = event.reason ? "disconnected: " + event.reason : "reconnecting…";
      live.className = "live";
      setTimeout(connect, 2000);
    };
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type === "signal") addSignal(message);
      else if (message.type === "system") { showSystem(message); refreshAtRisk(); }
      else if (message.type === "status") showStatus(message);
      counted();
    };
  }
  connect();
})();
