// An `ideas` phase as a wall: its columns side by side, each card with its answers under
// it. The projector draws it as it is; the participant page adds what a finger needs:
// add to a column in one tap, answer a card in one tap, vote, take back.
import { el, syncKeyed } from "./dom.js";
import { ideaBudget, ideaWall, tableName } from "./state.js";

/**
 * Draw the wall of ideas phase `phase` into `container` (an element that holds only it).
 * `actions` (participant page): {onAnswer(card), onVote(card, cast), onRemove(card)}.
 * `newestFirst` (the projector): the newest cards on top, where the room looks.
 */
export function renderWall(container, model, phase, actions = null, { newestFirst = false } = {}) {
  const columns = ideaWall(model, phase.key);
  if (newestFirst) for (const column of columns) column.cards.reverse();
  container.classList.toggle("idea-wall--columns", columns.length > 1);
  container.style.setProperty("--columns", String(columns.length));
  syncKeyed(container, columns, (column) => column.key ?? "", (column) => {
    const heading = el("h3", { className: "idea-column__title" });
    return el("section", { className: "idea-column", dataset: { testid: "idea-column" } },
      heading, el("ol", { className: "idea-column__cards" }),
      el("p", { className: "empty idea-column__empty", text: gettext("No ideas here yet.") }),
      el("p", { className: "screen__more idea-column__more", hidden: true }));
  }, (node, column) => {
    const heading = node.querySelector(".idea-column__title");
    heading.textContent = column.title;
    heading.hidden = !column.title;
    node.dataset.column = column.key ?? "";
    node.setAttribute("aria-label", column.title || phase.title);
    syncCards(node.querySelector(".idea-column__cards"), column.cards, model, phase, actions);
    node.querySelector(".idea-column__empty").hidden = column.cards.length > 0;
  });
}

function syncCards(list, cards, model, phase, actions) {
  syncKeyed(list, cards, (card) => card.id, () => createCard(actions), (node, card) => {
    node.card = card;
    node.querySelector(".idea-card__text").textContent = card.text;
    const label = node.querySelector(".idea-card__table");
    label.textContent = tableName(model, card) || "";
    label.hidden = !label.textContent;
    const mine = Boolean(card.by && model.you && card.by.id === model.you.id);
    node.classList.toggle("is-mine", mine);
    node.classList.toggle("is-pending", card.pending);
    const votes = node.querySelector(".idea-card__votes");
    votes.hidden = card.votes == null || card.votes === 0;
    votes.textContent = card.votes == null ? ""
      : interpolate(ngettext("%(n)s vote", "%(n)s votes", card.votes), { n: card.votes }, true);
    if (actions) updateActions(node, card, model, phase, actions, mine);
    syncCards(node.querySelector(".idea-card__answers"), card.answers, model, phase, actions);
  });
}

function createCard(actions) {
  const node = el("li", { className: "idea-card", dataset: { testid: "idea" } },
    el("p", { className: "idea-card__text" }),
    el("span", { className: "table-label idea-card__table", dataset: { testid: "table-label" } }),
    el("span", { className: "idea-card__votes" }));
  if (actions) {
    const button = (className, text, handler) => el("button", {
      type: "button", className: `btn btn--ghost btn--small ${className}`, text,
      on: { click: () => handler(node.card) } });
    node.append(el("div", { className: "idea-card__actions" },
      button("idea-answer", gettext("Answer"), actions.onAnswer),
      button("idea-vote", gettext("+1 vote"), (card) => actions.onVote(card, true)),
      button("idea-unvote", gettext("Take back"), (card) => actions.onVote(card, false)),
      button("idea-remove", gettext("Remove"), actions.onRemove)));
  }
  node.append(el("ol", { className: "idea-card__answers" }));
  return node;
}

function updateActions(node, card, model, phase, actions, mine) {
  const open = phase.status === "open";
  const budget = ideaBudget(model, phase.key);
  const myVotes = model.myVotes[`idea:${card.id}`] || 0;
  const answer = node.querySelector(".idea-answer");
  answer.hidden = !open || card.pending;
  answer.setAttribute("aria-label", interpolate(gettext("Answer: %(text)s"), { text: card.text }, true));
  const vote = node.querySelector(".idea-vote");
  vote.hidden = !budget || budget.budget === 0 || card.pending;
  vote.disabled = !budget || budget.left === 0;
  vote.setAttribute("aria-label", interpolate(gettext("+1 vote for: %(text)s"), { text: card.text }, true));
  const unvote = node.querySelector(".idea-unvote");
  unvote.hidden = !budget || myVotes === 0;
  unvote.setAttribute("aria-label",
    interpolate(gettext("Take back a vote from: %(text)s"), { text: card.text }, true));
  const remove = node.querySelector(".idea-remove");
  remove.hidden = !open || !mine;
  remove.setAttribute("aria-label",
    interpolate(gettext("Remove your idea: %(text)s"), { text: card.text }, true));
}

/**
 * The participant's composer: one text field, then one button per column ("Add to
 * Horizon 1"), or one "Add answer" while answering a card. `dom`: {panel, form, input,
 * counter, buttons, answering, answeringText, cancel, error, sent, wall, budget}.
 */
export class IdeaComposer {
  constructor({ dom, client, schedule, flash }) {
    this.dom = dom;
    this.client = client;
    this.schedule = schedule;
    this.flash = flash;
    this.answering = null; // the card being answered: {id, text}
    this.phase = null;
    dom.form.addEventListener("submit", (submit) => {
      submit.preventDefault();
      // Enter in the field: the first column (or the answer), as the first button.
      const first = dom.buttons.querySelector("button");
      if (first) first.click();
    });
    dom.input.addEventListener("input", () => this.count());
    dom.cancel.addEventListener("click", () => this.answer(null));
  }

  count() {
    this.dom.counter.textContent = `${this.dom.input.value.length}/280`;
  }

  /** Answer `card` next (null: back to adding cards). */
  answer(card) {
    this.answering = card ? { id: card.id, text: card.text } : null;
    this.schedule();
    this.dom.input.focus();
  }

  send(column) {
    const { dom } = this;
    const text = dom.input.value.trim();
    dom.sent.textContent = "";
    if (!text) {
      dom.error.textContent = gettext("Write your idea first.");
      dom.input.focus();
      return;
    }
    dom.error.textContent = "";
    const fields = { phase: this.phase.key, text };
    if (this.answering) fields.parent = this.answering.id;
    else if (column != null) fields.column = column;
    for (const button of dom.buttons.querySelectorAll("button")) button.disabled = true;
    this.client.send("idea.add", fields).then(
      () => {
        // Keep what was typed while this one was on its way.
        if (dom.input.value.trim() === text) dom.input.value = "";
        this.count();
        this.flash(dom.sent, this.answering ? gettext("Answer added.") : gettext("Idea added."));
        this.answering = null;
        this.schedule();
      },
      (error) => { dom.error.textContent = error.message; },
    ).finally(() => {
      for (const button of dom.buttons.querySelectorAll("button")) button.disabled = false;
      dom.input.focus();
    });
  }

  /** Draw the composer and the wall for ideas phase `phase` (null: hide them). */
  render(model, phase) {
    const { dom } = this;
    dom.panel.hidden = !phase;
    if (!phase) return;
    if (!this.phase || this.phase.key !== phase.key) this.answering = null;
    this.phase = phase;
    if (this.answering && !model.ideas.has(this.answering.id)) this.answering = null;
    dom.answering.hidden = !this.answering;
    dom.answeringText.textContent = this.answering ? this.answering.text : "";
    const choices = this.answering ? [{ key: "answer", title: gettext("Add answer") }]
      : phase.columns && phase.columns.length
        ? phase.columns.map((column) => ({ key: column.key,
          title: interpolate(gettext("Add to %(column)s"), { column: column.title }, true) }))
        : [{ key: "", title: gettext("Add") }];
    syncKeyed(dom.buttons, choices, (choice) => choice.key, (choice) => el("button", {
      type: "button", className: "btn btn--primary idea-add", dataset: { column: choice.key },
      on: { click: () => this.send(choice.key === "answer" || choice.key === "" ? null : choice.key) },
    }), (node, choice) => { node.textContent = choice.title; });
    const budget = ideaBudget(model, phase.key);
    dom.budget.hidden = !budget || budget.budget === 0;
    if (budget) {
      dom.budget.textContent = interpolate(
        ngettext("%(left)s of %(budget)s vote left", "%(left)s of %(budget)s votes left", budget.budget),
        { left: budget.left, budget: budget.budget }, true);
    }
    renderWall(dom.wall, model, phase, {
      onAnswer: (card) => this.answer(card),
      onVote: (card, cast) => {
        dom.error.textContent = "";
        this.client.send(cast ? "vote.cast" : "vote.retract", { target: { kind: "idea", id: card.id } })
          .catch((error) => { dom.error.textContent = error.message; });
      },
      onRemove: (card) => {
        dom.error.textContent = "";
        this.client.send("idea.remove", { id: card.id })
          .catch((error) => { dom.error.textContent = error.message; });
      },
    });
  }
}

/**
 * On the projector, a column taller than the stage shows its newest cards and says how
 * many older ones are not shown: nothing is cut silently.
 */
export function fitWall(container) {
  // Titles side by side take the height of the tallest ("Now what? (what we do next)" on
  // three lines), so that every column's cards start on one line.
  const titles = [...container.querySelectorAll(".idea-column__title")];
  for (const title of titles) title.style.minHeight = "";
  const tallest = Math.max(0, ...titles.map((title) => title.offsetHeight));
  if (titles.length > 1) for (const title of titles) title.style.minHeight = `${tallest}px`;
  for (const column of container.querySelectorAll(".idea-column")) {
    const cards = [...column.querySelector(".idea-column__cards").children];
    const more = column.querySelector(".idea-column__more");
    for (const card of cards) card.hidden = false;
    more.hidden = true;
    let shown = cards.length;
    while (shown > 1 && column.scrollHeight > column.clientHeight + 1) {
      shown -= 1;
      cards[shown].hidden = true;
      more.hidden = false;
      more.textContent = interpolate(ngettext("%(n)s older idea not shown", "%(n)s older ideas not shown",
        cards.length - shown), { n: cards.length - shown }, true);
    }
  }
}
