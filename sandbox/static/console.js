// The demo console: renders what the Slack stand-in holds for one person, as Slack would, and sends
// what that person does back through the stand-in (which signs it for the bot).
"use strict";

const params = new URLSearchParams(location.search);
let me = params.get("user") || "U0ANA";
let channel = params.get("channel") || "C0GENERAL";
let viewing = "channel"; // or "home"
let state = null;
let shownModal = "";
let shownPage = "";
let sending = Promise.resolve();

const $ = (id) => document.getElementById(id);

async function post(path, body) {
  const reply = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  return reply.json();
}

async function refresh() {
  const reply = await fetch(`/console/state?user=${encodeURIComponent(me)}&channel=${encodeURIComponent(channel)}`);
  state = await reply.json();
  render();
}

function person(id) {
  return (state.users.find((u) => u.id === id) || { name: id, tz: "UTC" });
}

function myZone() {
  return person(me).tz || "UTC";
}

// -- mrkdwn ---------------------------------------------------------------------------------------

function escapeHtml(text) {
  // Slack's text arrives with &, < and > already escaped; quotes are escaped here for attributes.
  return String(text).replace(/&(?!(amp|lt|gt|quot|#\d+);)/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

function safeUrl(url) {
  // Only web and mail links become live links; javascript:, data: and the rest stay text.
  try {
    const parsed = new URL(String(url).replace(/&amp;/g, "&"));
    return ["http:", "https:", "mailto:"].includes(parsed.protocol) ? parsed.href : null;
  } catch {
    return null;
  }
}

const EMOJI_OK = (() => {
  // Colour pixels mean the machine has an emoji font; without one, emoji are shown as their names.
  const canvas = Object.assign(document.createElement("canvas"), { width: 24, height: 24 });
  const context = canvas.getContext("2d");
  if (!context) return false;
  context.textBaseline = "top";
  context.font = "20px sans-serif";
  context.fillText("\u{1F4C5}", 0, 0);
  const data = context.getImageData(0, 0, 24, 24).data;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] && (Math.abs(data[i] - data[i + 1]) > 20 || Math.abs(data[i + 1] - data[i + 2]) > 20)) return true;
  }
  return false;
})();

function emoji(name) {
  const glyph = EMOJI[name];
  if (!glyph) return `:${name}:`;
  return EMOJI_OK ? `<span class="emoji" title=":${name}:">${glyph}</span>` : `<span class="emoji-text">:${name}:</span>`;
}

function dateToken(seconds, format, fallback) {
  const moment = new Date(Number(seconds) * 1000);
  const zone = myZone();
  const day = (d) => new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(d);
  const today = day(new Date());
  const tomorrow = day(new Date(Date.now() + 86400000));
  let pretty = new Intl.DateTimeFormat("en-GB", { timeZone: zone, weekday: "short", day: "numeric", month: "short" }).format(moment);
  if (day(moment) === today) pretty = "Today";
  if (day(moment) === tomorrow) pretty = "Tomorrow";
  const time = new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit" }).format(moment);
  if (Number.isNaN(moment.getTime())) return fallback;
  return format.replace("{date_short_pretty}", pretty).replace("{date_short}", pretty).replace("{time}", time);
}

function mrkdwn(text) {
  // Slack's escaped markup first, then its formatting characters.
  let html = text.replace(/<([^<>]+)>/g, (whole, inner) => {
    const [target, label] = inner.split("|");
    if (target.startsWith("!date^")) {
      const [, seconds, format] = target.split("^");
      return `\u0000${escapeHtml(dateToken(seconds, format, label || ""))}\u0001`;
    }
    if (target.startsWith("@")) return `\u0000<span class="mention">@${escapeHtml(person(target.slice(1)).name)}</span>\u0001`;
    if (target.startsWith("#")) {
      const known = state.channels.find((c) => c.id === target.slice(1));
      return `\u0000<span class="mention">#${escapeHtml(label || (known ? known.name : target.slice(1)))}</span>\u0001`;
    }
    const url = safeUrl(target);
    if (url) return `\u0000<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(label || target)}</a>\u0001`;
    return `\u0000${escapeHtml(label || target)}\u0001`;
  });
  const parts = html.split(/(\u0000[^\u0001]*\u0001)/);
  html = parts.map((part) => {
    if (part.startsWith("\u0000")) return part.slice(1, -1);
    return escapeHtml(part)
      .replace(/`([^`]+)`/g, "<code>$1</code>")
      .replace(/\*([^*\n]+)\*/g, "<strong>$1</strong>")
      .replace(/(^|\s)_([^_\n]+)_/g, "$1<em>$2</em>")
      .replace(/~([^~\n]+)~/g, "<del>$1</del>")
      .replace(/:([a-z0-9_+-]+):/g, (w, name) => emoji(name))
      .replace(/\n/g, "<br>");
  }).join("");
  return html;
}

const EMOJI = { calendar: "📅", wastebasket: "🗑️", link: "🔗", broken_chain: "⛓️", warning: "⚠️", rotating_light: "🚨",
  white_check_mark: "✅", red_circle: "🔴", alarm_clock: "⏰", information_source: "ℹ️", arrows_counterclockwise: "🔄",
  zap: "⚡", house: "🏠" };

function textOf(object) {
  if (!object) return "";
  if (typeof object === "string") return escapeHtml(object);
  return object.type === "mrkdwn" ? mrkdwn(object.text || "") : escapeHtml(object.text || "");
}

// -- Block Kit ------------------------------------------------------------------------------------

function element(el, context) {
  if (el.type === "button") {
    const url = el.url ? safeUrl(el.url) : null;
    const node = document.createElement(url ? "a" : "button");
    node.className = `bk ${el.style || ""}`;
    node.innerHTML = textOf(el.text);
    node.dataset.actionId = el.action_id || "";
    node.dataset.value = el.value || "";
    if (url) {
      node.href = url;
      node.target = "_blank";
      node.rel = "noopener";
    } else {
      node.type = "button";
    }
    node.addEventListener("click", async (event) => {
      if (el.confirm) {
        const question = `${el.confirm.title?.text || ""}\n\n${el.confirm.text?.text || ""}`;
        if (!window.confirm(question)) { event.preventDefault(); return; }
      }
      act(context, { action_id: el.action_id, value: el.value || "" });
    });
    return node;
  }
  if (el.type === "overflow") {
    const node = document.createElement("select");
    node.className = "bk overflow";
    node.dataset.actionId = el.action_id;
    node.innerHTML = `<option value="">⋯</option>` + el.options.map((o) => `<option value="${escapeHtml(o.value)}">${textOf(o.text)}</option>`).join("");
    node.addEventListener("change", () => {
      const option = el.options.find((o) => o.value === node.value);
      if (option) act(context, { action_id: el.action_id, selected_option: { value: option.value } });
      node.value = "";
    });
    return node;
  }
  const node = document.createElement("span");
  node.textContent = `[${el.type}]`;
  return node;
}

function blocks(list, context) {
  const holder = document.createElement("div");
  for (const block of list || []) {
    if (block.type === "section") {
      const node = document.createElement("div");
      node.className = "section";
      const text = document.createElement("div");
      text.className = "text";
      text.innerHTML = textOf(block.text);
      if (block.fields) {
        const fields = document.createElement("div");
        fields.className = "fields";
        fields.innerHTML = block.fields.map((f) => `<div>${textOf(f)}</div>`).join("");
        text.appendChild(fields);
      }
      node.appendChild(text);
      if (block.accessory) node.appendChild(element(block.accessory, context));
      holder.appendChild(node);
    } else if (block.type === "actions") {
      const node = document.createElement("div");
      node.className = "actions";
      for (const el of block.elements) node.appendChild(element(el, context));
      holder.appendChild(node);
    } else if (block.type === "context") {
      const node = document.createElement("div");
      node.className = "context";
      node.innerHTML = block.elements.map(textOf).join(" ");
      holder.appendChild(node);
    } else if (block.type === "divider") {
      holder.appendChild(Object.assign(document.createElement("hr"), { className: "divider" }));
    } else if (block.type === "input") {
      holder.appendChild(input(block));
    }
  }
  return holder;
}

// -- messages, Home, modals ------------------------------------------------------------------------

function render() {
  if (document.activeElement && ["who", "zone"].includes(document.activeElement.id)) return;
  $("who").innerHTML = state.users.map((u) => `<option value="${escapeHtml(u.id)}" ${u.id === me ? "selected" : ""}>${escapeHtml(u.name)}</option>`).join("");
  $("zone").innerHTML = state.zones.map((z) => `<option ${z === myZone() ? "selected" : ""}>${escapeHtml(z)}</option>`).join("");
  $("nav").innerHTML = "";
  for (const c of state.channels) {
    const item = document.createElement("button");
    item.type = "button";
    item.className = `nav-item ${viewing === "channel" && c.id === channel ? "active" : ""}`;
    item.textContent = c.id.startsWith("D") ? c.name : `# ${c.name}`;
    item.addEventListener("click", () => { channel = c.id; viewing = "channel"; refresh(); });
    $("nav").appendChild(item);
  }
  $("home-tab").classList.toggle("active", viewing === "home");
  const current = state.channels.find((c) => c.id === channel);
  $("title").textContent = viewing === "home" ? "Webex · Home" : (current ? (channel.startsWith("D") ? current.name : `# ${current.name}`) : channel);
  $("messages").hidden = viewing === "home";
  $("home").hidden = viewing !== "home";
  $("composer").hidden = viewing === "home";
  // rebuild only what changed, so a button does not move under the pointer
  const page = JSON.stringify([viewing, me, channel, myZone(), viewing === "home" ? state.home : state.messages]);
  if (page !== shownPage) {
    shownPage = page;
    if (viewing === "home") {
      $("home").innerHTML = "";
      if (state.home) $("home").appendChild(blocks(state.home.blocks, { home: true }));
    } else {
      renderMessages();
    }
  }
  renderModal();
}

function renderMessages() {
  const box = $("messages");
  const atBottom = box.scrollTop + box.clientHeight >= box.scrollHeight - 20;
  box.innerHTML = "";
  const byTs = {};
  for (const m of state.messages) {
    const node = document.createElement("div");
    node.className = `msg ${m.ephemeral ? "ephemeral" : ""}`;
    node.dataset.ts = m.ts;
    const bot = m.author === "U0BOT";
    node.innerHTML = `<div class="who">${bot ? "Webex" : escapeHtml(person(m.author).name)}${bot ? '<span class="bot">APP</span>' : ""}</div>`;
    if (m.ephemeral) node.insertAdjacentHTML("beforeend", `<div class="only-you">Only visible to you</div>`);
    const context = { channel, message_ts: m.ts, ephemeral: m.ephemeral };
    if (m.blocks && m.blocks.length) node.appendChild(blocks(m.blocks, context));
    else node.insertAdjacentHTML("beforeend", `<div>${mrkdwn(m.text || "")}</div>`);
    if (!bot && !m.ephemeral) {
      const more = document.createElement("select");
      more.className = "bk more";
      more.innerHTML = `<option value="">⋯</option><option value="schedule.from_message">Schedule a Webex meeting</option>`;
      more.addEventListener("change", async () => {
        if (more.value) await post("/console/shortcut", { user: me, callback_id: more.value, channel, message_ts: m.ts });
        more.value = "";
        refreshSoon();
      });
      node.appendChild(more);
    }
    byTs[m.ts] = node;
    const parent = m.thread_ts && byTs[m.thread_ts];
    if (parent) {
      let thread = parent.querySelector(".thread");
      if (!thread) { thread = Object.assign(document.createElement("div"), { className: "thread" }); parent.appendChild(thread); }
      thread.appendChild(node);
    } else {
      box.appendChild(node);
    }
  }
  if (atBottom) box.scrollTop = box.scrollHeight;
}

function input(block) {
  const el = block.element;
  const wrap = document.createElement("div");
  wrap.className = "input";
  wrap.dataset.blockId = block.block_id;
  wrap.dataset.type = el.type;
  const id = `in-${block.block_id}`;
  wrap.innerHTML = `<label for="${escapeHtml(id)}">${textOf(block.label)}${block.optional ? ' <span class="optional">(optional)</span>' : ""}</label>`;
  let control;
  if (el.type === "plain_text_input") {
    control = document.createElement(el.multiline ? "textarea" : "input");
    control.value = el.initial_value || "";
  } else if (el.type === "datepicker") {
    control = Object.assign(document.createElement("input"), { type: "date", value: el.initial_date || "" });
  } else if (el.type === "timepicker") {
    control = Object.assign(document.createElement("input"), { type: "time", value: el.initial_time || "" });
    const zone = Object.assign(document.createElement("span"), { className: "zone", textContent: el.timezone || myZone() });
    zone.id = `${id}-zone`;
    wrap.querySelector("label").append(" ", zone);
  } else if (el.type === "static_select") {
    control = document.createElement("select");
    control.innerHTML = el.options.map((o) => `<option value="${escapeHtml(o.value)}" ${el.initial_option && el.initial_option.value === o.value ? "selected" : ""}>${textOf(o.text)}</option>`).join("");
  } else if (el.type === "multi_users_select") {
    control = document.createElement("select");
    control.multiple = true;
    const chosen = el.initial_users || [];
    control.innerHTML = state.users.map((u) => `<option value="${escapeHtml(u.id)}" ${chosen.includes(u.id) ? "selected" : ""}>${escapeHtml(u.name)}</option>`).join("");
  } else if (el.type === "conversations_select") {
    control = document.createElement("select");
    const initial = el.initial_conversation || (el.default_to_current_conversation ? channel : "");
    control.innerHTML = `<option value=""></option>` + state.channels.map((c) => `<option value="${escapeHtml(c.id)}" ${c.id === initial ? "selected" : ""}>${escapeHtml(c.name)}</option>`).join("");
  } else {
    control = Object.assign(document.createElement("input"), { disabled: true, value: el.type });
  }
  control.id = id;
  wrap.appendChild(control);
  wrap.insertAdjacentHTML("beforeend", `<div class="error"></div>`);
  return wrap;
}

function stateValues(dialog) {
  const values = {};
  for (const wrap of dialog.querySelectorAll(".input")) {
    const control = wrap.querySelector("input, select, textarea");
    const type = wrap.dataset.type;
    let value;
    if (type === "plain_text_input") value = { type, value: control.value || null };
    else if (type === "datepicker") value = { type, selected_date: control.value || null };
    else if (type === "timepicker") value = { type, selected_time: control.value || null };
    else if (type === "static_select") value = { type, selected_option: control.value ? { value: control.value } : null };
    else if (type === "multi_users_select") value = { type, selected_users: [...control.selectedOptions].map((o) => o.value) };
    else if (type === "conversations_select") value = { type, selected_conversation: control.value || null };
    values[wrap.dataset.blockId] = { value };
  }
  return values;
}

function renderModal() {
  const modal = state.modal;
  const holder = $("modal");
  if (!modal) { holder.hidden = true; holder.innerHTML = ""; shownModal = ""; return; }
  if (shownModal === modal.id + modal.hash) return; // keep what the person is typing
  shownModal = modal.id + modal.hash;
  holder.hidden = false;
  holder.innerHTML = "";
  const dialog = document.createElement("div");
  dialog.className = "dialog";
  dialog.setAttribute("role", "dialog");
  dialog.innerHTML = `<h2>${textOf(modal.title)}</h2>`;
  dialog.appendChild(blocks(modal.blocks, { modal: modal.id }));
  const buttons = document.createElement("div");
  buttons.className = "buttons";
  const close = Object.assign(document.createElement("button"), { type: "button", className: "bk", id: "modal-close" });
  close.innerHTML = textOf(modal.close) || "Close";
  close.addEventListener("click", async () => { await post("/console/close", { view_id: modal.id }); refresh(); });
  buttons.appendChild(close);
  if (modal.submit) {
    const submit = Object.assign(document.createElement("button"), { type: "button", className: "bk primary", id: "modal-submit" });
    submit.innerHTML = textOf(modal.submit);
    submit.addEventListener("click", async () => {
      const reply = await post("/console/submit", { user: me, view_id: modal.id, values: stateValues(dialog) });
      for (const node of dialog.querySelectorAll(".error")) node.textContent = "";
      const errors = (reply.answer && reply.answer.errors) || {};
      for (const [blockId, message] of Object.entries(errors)) {
        const wrap = dialog.querySelector(`.input[data-block-id="${blockId}"] .error`);
        if (wrap) wrap.innerHTML = mrkdwn(message);
      }
      if (!Object.keys(errors).length) { shownModal = ""; refreshSoon(); }
    });
    buttons.appendChild(submit);
  }
  dialog.appendChild(buttons);
  holder.appendChild(dialog);
}

// -- doing things ---------------------------------------------------------------------------------

async function act(context, action) {
  await post("/console/action", {
    user: me,
    channel: context.channel || "",
    message_ts: context.message_ts || "",
    ephemeral: Boolean(context.ephemeral),
    from_home: Boolean(context.home),
    ...action,
  });
  refreshSoon();
}

function refreshSoon() {
  for (const delay of [150, 500, 1200]) setTimeout(refresh, delay);
}

function escapeMentions(text) {
  // should_escape: @Name becomes <@U…|name> and #channel <#C…|channel>, as Slack sends them
  return text.replace(/(^|[\s(])([@#])([A-Za-z][\w-]*)/g, (whole, before, sign, name) => {
    if (sign === "#") {
      const found = state.channels.find((c) => c.name.toLowerCase() === name.toLowerCase());
      return found ? `${before}<#${found.id}|${found.name}>` : whole;
    }
    const found = state.users.find((u) => u.name.toLowerCase().split(" ")[0] === name.toLowerCase());
    return found ? `${before}<@${found.id}|${name.toLowerCase()}>` : whole;
  });
}

if (!EMOJI_OK) {
  for (const node of document.querySelectorAll("[data-emoji]")) node.textContent = node.dataset.emoji;
}

$("composer").addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = $("text").value.trim();
  if (!text) return;
  $("text").value = "";
  // Messages typed while one is still on its way are sent after it, in the order typed.
  const message = { user: me, channel, text: escapeMentions(text) };
  sending = sending.then(() => post("/console/send", message)).then(refreshSoon, refreshSoon);
});
$("who").addEventListener("change", () => { me = $("who").value; shownModal = ""; if (viewing === "home") openHome(); else refresh(); });
$("zone").addEventListener("change", async () => { await post("/console/zone", { user: me, tz: $("zone").value }); refresh(); });
$("start-now").addEventListener("click", async () => { await post("/console/shortcut", { user: me, callback_id: "meeting.start_now" }); refreshSoon(); });

async function openHome() {
  viewing = "home";
  await post("/console/home", { user: me });
  refreshSoon();
}
$("home-tab").addEventListener("click", openHome);

refresh();
setInterval(refresh, 1500);
