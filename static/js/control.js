// The control room /facilitate/CODE/: open and close phases, watch the counts, and
// moderate (hide, merge) values and statements, live.
import {
  Announcer, LiveClient, el, readConfig, renderLoop, renderStatus, syncKeyed,
} from "./live.js";
import {
  applyEvent, counts, createModel, currentPhase, pendingItems, statementGroups, valueGroups,
} from "./state.js";

const $ = (id) => document.getElementById(id);
const config = readConfig();
const dom = {
  status: $("conn-status"), title: $("control-title"),
  phases: $("phase-list"), phaseError: $("phase-error"),
  online: $("stat-online"), contributors: $("stat-contributors"), values: $("stat-values"),
  distinct: $("stat-distinct"), statements: $("stat-statements"),
  valueList: $("control-values"), valuesEmpty: $("control-values-empty"),
  valuesCount: $("values-count"), valuesError: $("values-error"),
  statementList: $("control-statements"), statementsEmpty: $("control-statements-empty"),
  statementsCount: $("statements-count"), statementsError: $("statements-error"),
  announcer: $("announcer"),
  premoderate: $("premoderate-toggle"), pendingList: $("pending-list"),
  pendingEmpty: $("pending-empty"), pendingError: $("pending-error"), pendingCount: $("pending-count"),
};

let model = null;
let online = null;
let mergingKey = null; // the value group whose "merge into…" form is open
const pendingPhases = new Map(); // phase key -> "open" | "close" while awaiting the ack
const announcer = new Announcer(dom.announcer, 6000);
const schedule = renderLoop(render);

const client = new LiveClient({
  config,
  resume: false,
  onWelcome(welcome, { fresh }) {
    if (fresh || !model) model = createModel(welcome);
    if (welcome.you && welcome.you.role !== "facilitator") {
      dom.phaseError.textContent = gettext(
        "This browser is not signed in as a facilitator of this workshop, so its controls will be refused.");
    }
    schedule();
  },
  onEvent(event) {
    if (!model) return;
    const change = applyEvent(model, event);
    if (change && change.added) announcer.count(change.kind);
  },
  onEventsDone: () => schedule(),
  onPresence(count) {
    online = count;
    dom.online.textContent = String(count);
  },
  onStatus: (status) => renderStatus(dom.status, status),
  onHelloError(error) {
    dom.phaseError.textContent = error.message;
  },
});
client.start(null);

// ---------------------------------------------------------------------------- commands

function command(type, fields, errorNode) {
  errorNode.textContent = "";
  return client.send(type, fields).catch((error) => {
    errorNode.textContent = error.message;
    throw error;
  });
}

function togglePhase(phase, action) {
  pendingPhases.set(phase.key, action);
  schedule();
  command(action === "open" ? "phase.open" : "phase.close", { phase: phase.key }, dom.phaseError)
    .catch(() => {})
    .finally(() => {
      pendingPhases.delete(phase.key);
      schedule();
    });
}

function hideAll(type, ids, errorNode) {
  for (const id of ids) command(type, { id }, errorNode).catch(() => {});
}

// ---------------------------------------------------------------------------- render

function render() {
  if (!model) return;
  dom.title.textContent = model.workshop.title || dom.title.textContent;
  renderPhases();
  const c = counts(model);
  const authors = new Set();
  for (const item of [...model.values.values(), ...model.statements.values()]) {
    if (item.by) authors.add(item.by.id);
  }
  dom.values.textContent = String(c.values);
  dom.distinct.textContent = String(c.distinctValues);
  dom.statements.textContent = String(c.statements);
  dom.contributors.textContent = String(authors.size);
  dom.online.textContent = online == null ? "–" : String(online);
  renderValues();
  renderStatements();
  renderModeration();
}

function statusLabel(status) {
  return {
    open: gettext("Open"),
    closed: gettext("Closed"),
    pending: gettext("Not started"),
  }[status] || status;
}

function renderPhases() {
  const current = currentPhase(model);
  syncKeyed(dom.phases, model.phases, (p) => p.key, (phase) => {
    const node = el("li", { className: "phase-row", dataset: { phase: phase.key } });
    const open = el("button", {
      type: "button", className: "btn btn--primary btn--small", id: `phase-open-${phase.key}`,
      on: { click: () => togglePhase(node.phase, "open") },
    });
    const close = el("button", {
      type: "button", className: "btn btn--ghost btn--small", id: `phase-close-${phase.key}`,
      on: { click: () => togglePhase(node.phase, "close") },
    });
    node.append(
      el("div", {},
        el("p", { className: "phase-row__title" },
          el("span", { className: "phase-row__name" }),
          el("span", { className: "phase-status" })),
        el("p", { className: "phase-row__prompt" })),
      el("div", { className: "phase-row__actions" }, open, close),
    );
    return node;
  }, (node, phase) => {
    node.phase = phase;
    node.classList.toggle("is-current", phase === current);
    node.querySelector(".phase-row__name").textContent = phase.title;
    const badge = node.querySelector(".phase-status");
    badge.dataset.status = phase.status;
    badge.textContent = phase === current
      ? interpolate(gettext("%(status)s · on screen"), { status: statusLabel(phase.status) }, true)
      : statusLabel(phase.status);
    const prompt = node.querySelector(".phase-row__prompt");
    prompt.textContent = phase.prompt || "";
    prompt.hidden = !phase.prompt;
    const pending = pendingPhases.get(phase.key);
    const open = node.querySelector(`#phase-open-${CSS.escape(phase.key)}`);
    const close = node.querySelector(`#phase-close-${CSS.escape(phase.key)}`);
    open.hidden = phase.status === "open";
    close.hidden = phase.status !== "open";
    open.disabled = close.disabled = Boolean(pending);
    open.textContent = pending === "open" ? gettext("Opening…")
      : phase.status === "closed" ? gettext("Reopen") : gettext("Open");
    close.textContent = pending === "close" ? gettext("Closing…") : gettext("Close");
    open.setAttribute("aria-label", interpolate(gettext("Open the phase %(title)s"), { title: phase.title }, true));
    close.setAttribute("aria-label", interpolate(gettext("Close the phase %(title)s"), { title: phase.title }, true));
  });
}

function authorsOf(items) {
  const names = [];
  let anonymous = 0;
  for (const item of items) {
    if (item.by && item.by.name) {
      if (!names.includes(item.by.name)) names.push(item.by.name);
    } else {
      anonymous += 1;
    }
  }
  const shown = names.slice(0, 3);
  const rest = names.length - shown.length + anonymous;
  if (rest > 0) {
    shown.push(interpolate(ngettext("%(n)s other", "%(n)s others", rest), { n: rest }, true));
  }
  return shown.join(", ");
}

function renderValues() {
  const groups = valueGroups(model).sort((a, b) => b.firstId - a.firstId);
  syncKeyed(dom.valueList, groups, (g) => g.key, () => {
    const node = el("li", { className: "mod-item", dataset: { testid: "control-value" } });
    node.append(
      el("div", {},
        el("p", { className: "mod-item__text" }),
        el("p", { className: "mod-item__meta" })),
      el("div", { className: "mod-item__actions" },
        el("button", { type: "button", className: "btn btn--ghost btn--small merge-toggle",
          text: gettext("Merge into…"), on: { click: () => toggleMerge(node.group.key) } }),
        el("button", { type: "button", className: "btn btn--danger btn--small hide-button",
          text: gettext("Hide"),
          on: { click: () => hideAll("value.hide", node.group.ids, dom.valuesError) } })),
    );
    return node;
  }, (node, group) => {
    node.group = group;
    node.querySelector(".mod-item__text").textContent = group.text;
    const items = group.ids.map((id) => model.values.get(id));
    node.querySelector(".mod-item__meta").textContent = [
      interpolate(ngettext("%(n)s time", "%(n)s times", group.count), { n: group.count }, true),
      authorsOf(items),
    ].filter(Boolean).join(" · ");
    node.querySelector(".hide-button").setAttribute("aria-label",
      interpolate(gettext("Hide “%(text)s”"), { text: group.text }, true));
    const toggle = node.querySelector(".merge-toggle");
    toggle.setAttribute("aria-expanded", String(mergingKey === group.key));
    toggle.hidden = groups.length < 2;
    const form = node.querySelector(".merge-form");
    if (mergingKey === group.key && !form) node.append(mergeForm(group, groups));
    else if (mergingKey !== group.key && form) form.remove();
  });
  dom.valuesEmpty.hidden = groups.length > 0;
  dom.valuesCount.textContent = groups.length ? `(${counts(model).values})` : "";
}

function toggleMerge(key) {
  mergingKey = mergingKey === key ? null : key;
  render();
  if (mergingKey) {
    const select = dom.valueList.querySelector(".merge-form select");
    if (select) select.focus();
  }
}

function mergeForm(group, groups) {
  const selectId = `merge-into-${group.firstId}`;
  const select = el("select", { id: selectId, name: "into" });
  const targets = groups.filter((g) => g.key !== group.key)
    .sort((a, b) => b.count - a.count || a.text.localeCompare(b.text));
  for (const target of targets) {
    select.append(el("option", { value: String(target.firstId),
      text: interpolate(gettext("%(text)s (%(n)s)"), { text: target.text, n: target.count }, true) }));
  }
  return el("form", {
    className: "merge-form",
    on: {
      submit: (submit) => {
        submit.preventDefault();
        const into = Number(select.value);
        if (!into) return;
        for (const id of group.ids) {
          command("value.merge", { id, into }, dom.valuesError).catch(() => {});
        }
        mergingKey = null;
        render();
      },
    },
  },
  el("label", { htmlFor: selectId,
    text: interpolate(gettext("Merge “%(text)s” into"), { text: group.text }, true) }),
  select,
  el("button", { type: "submit", className: "btn btn--primary btn--small", text: gettext("Merge") }),
  el("button", { type: "button", className: "btn btn--ghost btn--small", text: gettext("Cancel"),
    on: { click: () => toggleMerge(group.key) } }));
}

function renderStatements() {
  const groups = statementGroups(model).sort((a, b) => b.firstId - a.firstId);
  syncKeyed(dom.statementList, groups, (g) => g.key, () => {
    const node = el("li", { className: "mod-item", dataset: { testid: "control-statement" } });
    node.append(
      el("div", {},
        el("p", { className: "mod-item__text" }),
        el("p", { className: "mod-item__meta" })),
      el("div", { className: "mod-item__actions" },
        el("button", { type: "button", className: "btn btn--danger btn--small hide-button",
          text: gettext("Hide"),
          on: { click: () => hideAll("statement.hide", node.group.ids, dom.statementsError) } })),
    );
    return node;
  }, (node, group) => {
    node.group = group;
    node.querySelector(".mod-item__text").textContent = group.text;
    const items = group.ids.map((id) => model.statements.get(id));
    node.querySelector(".mod-item__meta").textContent = [
      interpolate(ngettext("%(n)s time", "%(n)s times", group.count), { n: group.count }, true),
      interpolate(ngettext("%(n)s vote", "%(n)s votes", group.votes), { n: group.votes }, true),
      authorsOf(items),
    ].filter(Boolean).join(" · ");
    node.querySelector(".hide-button").setAttribute("aria-label",
      interpolate(gettext("Hide “%(text)s”"), { text: group.text }, true));
  });
  dom.statementsEmpty.hidden = groups.length > 0;
  dom.statementsCount.textContent = groups.length ? `(${counts(model).statements})` : "";
}

// ---------------------------------------------------------------------------- premoderation

dom.premoderate.addEventListener("click", () => {
  const next = !model.workshop.premoderated;
  dom.premoderate.disabled = true;
  command("moderation.set", { premoderated: next }, dom.pendingError)
    .catch(() => {})
    .finally(() => { dom.premoderate.disabled = false; });
});

function renderModeration() {
  const on = Boolean(model.workshop.premoderated);
  dom.premoderate.setAttribute("aria-pressed", String(on));
  dom.premoderate.textContent = on
    ? gettext("On: contributions wait for your approval")
    : gettext("Off: contributions show at once");
  const items = pendingItems(model);
  syncKeyed(dom.pendingList, items, (item) => `${item.kind}:${item.id}`, () => {
    const node = el("li", { className: "mod-item", dataset: { testid: "pending-item" } });
    node.append(
      el("div", {}, el("p", { className: "mod-item__text" }), el("p", { className: "mod-item__meta" })),
      el("div", { className: "mod-item__actions" },
        el("button", { type: "button", className: "btn btn--primary btn--small approve-button",
          text: gettext("Approve"),
          on: { click: () => command(`${node.item.kind}.approve`, { id: node.item.id }, dom.pendingError).catch(() => {}) } }),
        el("button", { type: "button", className: "btn btn--danger btn--small hide-button",
          text: gettext("Hide"),
          on: { click: () => command(`${node.item.kind}.hide`, { id: node.item.id }, dom.pendingError).catch(() => {}) } })),
    );
    return node;
  }, (node, item) => {
    node.item = item;
    node.querySelector(".mod-item__text").textContent = item.text;
    node.querySelector(".mod-item__meta").textContent = [
      item.kind === "value" ? gettext("Value") : gettext("Statement"),
      item.by && item.by.name ? item.by.name : gettext("anonymous"),
    ].join(" · ");
    node.querySelector(".approve-button").setAttribute("aria-label",
      interpolate(gettext("Approve “%(text)s”"), { text: item.text }, true));
    node.querySelector(".hide-button").setAttribute("aria-label",
      interpolate(gettext("Hide “%(text)s”"), { text: item.text }, true));
  });
  dom.pendingEmpty.hidden = items.length > 0;
  dom.pendingCount.textContent = items.length ? `(${items.length})` : "";
}
