// The participant page /j/CODE/: join, then add values and statements, and vote, live.
import {
  Announcer, LiveClient, cloudScale, el, readConfig, readToken, renderLoop, renderStatus,
  syncKeyed,
} from "./live.js";
import {
  applyEvent, counts, createModel, currentPhase, myVotedStatement, principleList, refreshYou,
  statementBudget, statementGroups, templateParts, valueGroups,
} from "./state.js";

const VALUE_MAX = 80;
const $ = (id) => document.getElementById(id);

const config = readConfig();
const dom = {
  joinPanel: $("join-panel"), joinForm: $("join-form"), joinName: $("join-name"),
  joinButton: $("join-button"),
  view: $("workshop-view"), status: $("conn-status"),
  phaseTitle: $("phase-title"), title: $("workshop-title"), prompt: $("phase-prompt"),
  youAre: $("you-are"), waiting: $("waiting-panel"),
  valuesPanel: $("values-panel"), valueForm: $("value-form"), valueInput: $("value-input"),
  valueCounter: $("value-counter"), valueError: $("value-error"), valueSent: $("value-sent"),
  statementPanel: $("statement-panel"), statementForm: $("statement-form"),
  preview: $("statement-preview"), activityChips: $("activity-chips"),
  activityInput: $("statement-activity"), valueChips: $("value-chips"),
  statementValue: $("statement-value"), statementError: $("statement-error"),
  statementSent: $("statement-sent"),
  statementsSection: $("statements-section"), statementsList: $("statements-list"),
  statementsEmpty: $("statements-empty"), statementsTotal: $("statements-total"),
  budget: $("vote-budget"), voteError: $("vote-error"),
  principlesSection: $("principles-section"), principlesList: $("principles-list"),
  principlesEmpty: $("principles-empty"),
  cloudPanel: $("cloud-panel"), cloud: $("values-cloud"), valuesList: $("values-list"),
  valuesEmpty: $("values-empty"), valuesTotal: $("values-total"),
  fatal: $("fatal-error"), announcer: $("announcer"),
};

let model = null;
let phaseChanged = false;
let focusOnWelcome = false;
const announcer = new Announcer(dom.announcer);
const schedule = renderLoop(render);

const client = new LiveClient({
  config,
  onWelcome(welcome, { fresh }) {
    if (fresh || !model) model = createModel(welcome);
    else refreshYou(model, welcome);
    showWorkshop();
    schedule();
    if (focusOnWelcome) {
      focusOnWelcome = false; // the Join button just disappeared: keep the keyboard's place
      dom.title.focus();
    }
  },
  onEvent(event) {
    if (!model) return;
    const change = applyEvent(model, event);
    if (change && change.added && !change.mine) announcer.count(change.kind);
    if (event.event === "phase.opened" || event.event === "phase.closed") phaseChanged = true;
  },
  onEventsDone() {
    if (phaseChanged) {
      phaseChanged = false;
      const phase = currentPhase(model);
      announcer.say(phase
        ? interpolate(gettext("Now: %(title)s. %(prompt)s"), { title: phase.title, prompt: phase.prompt }, true)
        : gettext("Waiting for the facilitator…"));
    }
    schedule();
  },
  onPresence(online) {
    if (model) model.online = online;
  },
  onStatus(status) {
    renderStatus(dom.status, status);
  },
  onHelloError(error) {
    dom.fatal.textContent = error.message;
    dom.fatal.hidden = false;
    showWorkshop();
  },
});

// ---------------------------------------------------------------------------- joining

function join(name) {
  dom.status.hidden = false;
  client.start(name || null);
}

function showWorkshop() {
  dom.joinPanel.hidden = true;
  dom.view.hidden = false;
}

if (readToken(config.code)) {
  // Returning on this device: resume without asking again.
  dom.joinPanel.hidden = true;
  join(null);
} else {
  dom.joinForm.addEventListener("submit", (submit) => {
    submit.preventDefault();
    dom.joinButton.disabled = true;
    dom.joinButton.textContent = gettext("Joining…");
    focusOnWelcome = true;
    join(dom.joinName.value.trim());
  });
}

// ---------------------------------------------------------------------------- values

function updateCounter() {
  const length = dom.valueInput.value.length;
  dom.valueCounter.textContent = `${length}/${VALUE_MAX}`;
  dom.valueCounter.classList.toggle("counter--near", length >= VALUE_MAX - 10);
}

dom.valueInput.addEventListener("input", () => {
  updateCounter();
  dom.valueError.textContent = "";
});

dom.valueForm.addEventListener("submit", (submit) => {
  submit.preventDefault();
  const text = dom.valueInput.value.trim();
  dom.valueSent.textContent = "";
  if (!text) {
    dom.valueError.textContent = gettext("Please write a value first.");
    dom.valueInput.focus();
    return;
  }
  dom.valueError.textContent = "";
  dom.valueInput.value = "";
  updateCounter();
  dom.valueInput.focus();
  client.send("value.add", { text }).then(
    () => flash(dom.valueSent, model && model.workshop.premoderated
      ? interpolate(gettext("Sent “%(text)s”: it shows once the facilitator approves it."), { text }, true)
      : interpolate(gettext("Added “%(text)s”."), { text }, true)),
    (error) => {
      dom.valueError.textContent = error.message;
      if (!dom.valueInput.value) {
        dom.valueInput.value = text;
        updateCounter();
      }
    },
  );
});

const flashTimers = new WeakMap();
function flash(node, text) {
  node.textContent = text;
  clearTimeout(flashTimers.get(node));
  flashTimers.set(node, setTimeout(() => { node.textContent = ""; }, 3000));
}

// ---------------------------------------------------------------------------- statements

function normalise(text) {
  return text.trim().toLocaleLowerCase();
}

function chipClicked(input) {
  return (click) => {
    const chip = click.currentTarget;
    input.value = chip.dataset.text;
    dom.statementError.textContent = "";
    renderBuilder();
  };
}

for (const input of [dom.activityInput, dom.statementValue]) {
  input.addEventListener("input", () => {
    dom.statementError.textContent = "";
    renderBuilder();
  });
}

dom.statementForm.addEventListener("submit", (submit) => {
  submit.preventDefault();
  const activity = dom.activityInput.value.trim();
  const value = dom.statementValue.value.trim();
  dom.statementSent.textContent = "";
  if (!activity || !value) {
    dom.statementError.textContent = !activity
      ? gettext("Pick or type an activity first.")
      : gettext("Pick or type a value first.");
    (activity ? dom.statementValue : dom.activityInput).focus();
    return;
  }
  dom.statementError.textContent = "";
  dom.activityInput.value = "";
  dom.statementValue.value = "";
  renderBuilder();
  client.send("statement.add", { activity, value }).then(
    () => flash(dom.statementSent, model && model.workshop.premoderated
      ? gettext("Statement sent: it shows once the facilitator approves it.")
      : gettext("Statement added.")),
    (error) => {
      dom.statementError.textContent = error.message;
      if (!dom.activityInput.value && !dom.statementValue.value) {
        dom.activityInput.value = activity;
        dom.statementValue.value = value;
        renderBuilder();
      }
    },
  );
});

function renderPreview() {
  const template = (model && model.workshop.statement_template)
    || "What might {activity} look like as a practice of {value}?";
  const filled = {
    activity: dom.activityInput.value.trim(),
    value: dom.statementValue.value.trim(),
  };
  const placeholders = { activity: gettext("ACTIVITY"), value: gettext("VALUE") };
  const nodes = templateParts(template).map((part) => {
    if (part.text != null) return document.createTextNode(part.text);
    const text = filled[part.slot];
    return el("span", {
      className: `slot slot--${part.slot}${text ? " slot--filled" : ""}`,
      text: text || placeholders[part.slot],
    });
  });
  dom.preview.replaceChildren(...nodes);
}

function chipList(container, texts, input) {
  const current = normalise(input.value);
  syncKeyed(
    container,
    texts,
    (item) => normalise(item.text),
    (item) => el("button", {
      type: "button", className: "chip", dataset: { text: item.text },
      on: { click: chipClicked(input) },
    }),
    (node, item) => {
      node.dataset.text = item.text;
      node.textContent = item.text;
      node.setAttribute("aria-pressed", String(normalise(item.text) === current));
    },
  );
}

function renderBuilder() {
  renderPreview();
  if (!model) return;
  const activities = [];
  const seen = new Set();
  const offer = (text) => {
    const key = normalise(text);
    if (key && !seen.has(key)) {
      seen.add(key);
      activities.push({ text });
    }
  };
  for (const text of model.workshop.activity_suggestions || []) offer(text);
  for (const group of statementGroups(model)) if (activities.length < 10) offer(group.activity);
  chipList(dom.activityChips, activities, dom.activityInput);
  const values = valueGroups(model)
    .sort((a, b) => b.count - a.count || a.firstId - b.firstId)
    .slice(0, 18)
    .map((group) => ({ text: group.text }));
  chipList(dom.valueChips, values, dom.statementValue);
  dom.valueChips.hidden = values.length === 0;
}

// ---------------------------------------------------------------------------- votes

function vote(group, cast) {
  dom.voteError.textContent = "";
  const id = cast ? group.voteId : myVotedStatement(model, group);
  if (id == null) return;
  client.send(cast ? "vote.cast" : "vote.retract", { target: { kind: "statement", id } })
    .catch((error) => { dom.voteError.textContent = error.message; });
}

// ---------------------------------------------------------------------------- render

function render() {
  if (!model) return;
  const phase = currentPhase(model);
  const kind = phase ? phase.kind : null;
  document.body.dataset.phase = kind || "none";
  dom.title.textContent = model.workshop.title || dom.title.textContent;
  document.title = `${model.workshop.title} · Open Visioning`;
  dom.phaseTitle.textContent = phase ? phase.title : gettext("Between activities");
  dom.prompt.textContent = phase ? phase.prompt : "";
  dom.prompt.hidden = !phase || !phase.prompt;
  dom.youAre.textContent = model.you.name
    ? interpolate(gettext("You are taking part as %(name)s."), { name: model.you.name }, true)
    : gettext("You are taking part anonymously.");

  dom.waiting.hidden = Boolean(phase);
  dom.valuesPanel.hidden = kind !== "values";
  dom.statementPanel.hidden = kind !== "statements";
  if (kind === "statements") renderBuilder();

  const groups = valueGroups(model);
  renderCloud(groups);
  dom.cloudPanel.hidden = !(kind === "values" || (kind !== "statements" && groups.length));

  const statements = statementGroups(model);
  renderStatements(statements);
  dom.statementsSection.hidden = !(kind === "statements" || statements.length);

  renderPrinciples();
  dom.principlesSection.hidden = !(kind === "principles" || model.principles.size);
}

function renderCloud(groups) {
  const max = groups.reduce((m, g) => Math.max(m, g.count), 1);
  const item = (group) => el("li", { className: "cloud__item" },
    el("span", { className: "cloud__text" }), el("span", { className: "cloud__count" }));
  syncKeyed(dom.cloud, groups, (g) => g.key, item, (node, group) => {
    node.firstChild.textContent = group.text;
    node.lastChild.textContent = group.count > 1 ? String(group.count) : "";
    node.lastChild.hidden = group.count < 2;
    node.style.setProperty("--scale", cloudScale(group.count, max).toFixed(3));
    node.classList.toggle("is-mine", group.mine);
  });
  // The same, as a list a screen reader reads in order of weight.
  const byCount = [...groups].sort((a, b) => b.count - a.count || a.firstId - b.firstId);
  syncKeyed(dom.valuesList, byCount, (g) => g.key, () => el("li"), (node, group) => {
    node.textContent = group.count > 1
      ? interpolate(ngettext("%(text)s (%(n)s person)", "%(text)s (%(n)s people)", group.count),
        { text: group.text, n: group.count }, true)
      : group.text;
  });
  dom.valuesEmpty.hidden = groups.length > 0;
  const live = counts(model);
  dom.valuesTotal.textContent = groups.length
    ? interpolate(ngettext("%(n)s contribution", "%(n)s contributions", live.values),
      { n: live.values }, true)
    : "";
}

function renderStatements(groups) {
  const budget = statementBudget(model);
  const voting = Boolean(budget);
  if (budget) {
    dom.budget.hidden = false;
    dom.budget.textContent = interpolate(
      ngettext("%(left)s of %(budget)s vote left", "%(left)s of %(budget)s votes left", budget.budget),
      { left: budget.left, budget: budget.budget }, true);
    dom.budget.classList.toggle("budget--empty", budget.left === 0);
  } else {
    dom.budget.hidden = true;
  }
  const newestFirst = [...groups].sort((a, b) => b.firstId - a.firstId);
  syncKeyed(dom.statementsList, newestFirst, (g) => g.key, createStatement, (node, group) => {
    node.querySelector(".statement__text").textContent = group.text;
    const count = node.querySelector(".statement__count");
    count.hidden = group.count < 2;
    count.textContent = interpolate(ngettext("%(n)s person", "%(n)s people", group.count),
      { n: group.count }, true);
    node.classList.toggle("is-mine", group.mine);
    const votes = node.querySelector(".statement__votes");
    votes.textContent = interpolate(ngettext("%(n)s vote", "%(n)s votes", group.votes),
      { n: group.votes }, true);
    votes.hidden = !voting && group.votes === 0;
    const cast = node.querySelector(".vote-cast");
    const retract = node.querySelector(".vote-retract");
    node.groupRef = group;
    cast.hidden = !voting;
    cast.disabled = !budget || budget.left === 0;
    cast.setAttribute("aria-label", interpolate(gettext("Vote for: %(text)s"), { text: group.text }, true));
    retract.hidden = !voting || group.myVotes === 0;
    retract.setAttribute("aria-label",
      interpolate(gettext("Take back a vote from: %(text)s"), { text: group.text }, true));
    const mine = node.querySelector(".statement__mine");
    mine.hidden = group.myVotes === 0;
    mine.textContent = interpolate(ngettext("%(n)s of yours", "%(n)s of yours", group.myVotes),
      { n: group.myVotes }, true);
  });
  dom.statementsEmpty.hidden = groups.length > 0;
  dom.statementsTotal.textContent = groups.length ? `(${counts(model).statements})` : "";
}

function createStatement() {
  const node = el("li", { className: "statement", dataset: { testid: "statement" } });
  const cast = el("button", { type: "button", className: "btn btn--small btn--secondary vote-cast",
    text: gettext("+1 vote"), on: { click: () => vote(node.groupRef, true) } });
  const retract = el("button", { type: "button", className: "btn btn--small btn--ghost vote-retract",
    text: gettext("Take back"), on: { click: () => vote(node.groupRef, false) } });
  node.append(
    el("p", { className: "statement__text" }),
    el("div", { className: "statement__meta" },
      el("span", { className: "badge statement__count" }),
      el("span", { className: "statement__votes" }),
      el("span", { className: "statement__mine" }),
      el("span", { className: "statement__actions" }, retract, cast)),
  );
  return node;
}

function renderPrinciples() {
  const principles = principleList(model);
  syncKeyed(dom.principlesList, principles, (p) => p.id,
    () => el("li", { className: "principle" },
      el("h3", { className: "principle__title" }), el("p", { className: "principle__body prewrap" })),
    (node, principle) => {
      node.firstChild.textContent = principle.title || "";
      node.lastChild.textContent = principle.body || "";
      node.classList.toggle("is-final", principle.status === "final");
    });
  dom.principlesEmpty.hidden = principles.length > 0;
}

updateCounter();
renderPreview();
