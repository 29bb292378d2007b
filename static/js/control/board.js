// The control room's live board: the values and statements as people see them (one
// card per group of copies), each to hide or merge into another, the statements ticked
// as the sources of a new principle, the activities people typed, and the ideas feed.
import { el, syncKeyed } from "../dom.js";
import { activityChoices, counts, resultsHidden, statementGroups, valueGroups } from "../state.js";
import { $, authorsOf, ignore, quoted } from "./common.js";

/**
 * `sources`: the statements ticked for a new principle, shared with principles.js:
 * {selected: Set of statement ids, changed()}.
 */
export function boardSection(room, sources) {
  const dom = {
    valueList: $("control-values"), valuesEmpty: $("control-values-empty"),
    valuesCount: $("values-count"), valuesError: $("values-error"),
    statementList: $("control-statements"), statementsEmpty: $("control-statements-empty"),
    typedActivities: $("typed-activities"), typedActivitiesBlock: $("typed-activities-block"),
    statementsCount: $("statements-count"), statementsError: $("statements-error"),
    ideasCard: $("ideas-card"), ideaList: $("control-ideas"), ideasEmpty: $("control-ideas-empty"),
    ideasCount: $("ideas-count"), ideasError: $("ideas-error"),
  };
  const ui = {
    merging: null, // "value:KEY" or "statement:KEY": the card whose "merge into…" form is open
  };
  const selected = sources.selected;

  /** Hide a whole card (every duplicate in it) with one command: all of it, or nothing. */
  function hideGroup(type, ids, errorNode) {
    room.command(type, { ids }, errorNode).catch(ignore);
  }

  function renderValues(model) {
    const groups = valueGroups(model).sort((a, b) => b.firstId - a.firstId);
    syncKeyed(dom.valueList, groups, (g) => g.key, () => {
      const node = el("li", { className: "mod-item", dataset: { testid: "control-value" } });
      node.append(
        el("div", {},
          el("p", { className: "mod-item__text" }),
          el("p", { className: "mod-item__meta" })),
        el("div", { className: "mod-item__actions" },
          el("button", { type: "button", className: "btn btn--ghost btn--small merge-toggle",
            text: gettext("Merge into…"), on: { click: () => toggleMerge("value", node.group.key) } }),
          el("button", { type: "button", className: "btn btn--danger btn--small hide-button",
            text: gettext("Hide"),
            on: { click: () => hideGroup("values.hide", node.group.ids, dom.valuesError) } })),
      );
      return node;
    }, (node, group) => {
      node.group = group;
      node.dataset.ids = group.ids.join(" ");
      node.querySelector(".mod-item__text").textContent = group.text;
      const items = group.ids.map((id) => model.values.get(id));
      node.querySelector(".mod-item__meta").textContent = [
        interpolate(ngettext("%(n)s time", "%(n)s times", group.count), { n: group.count }, true),
        authorsOf(items),
      ].filter(Boolean).join(" · ");
      node.querySelector(".hide-button").setAttribute("aria-label",
        interpolate(gettext("Hide “%(text)s”"), { text: group.text }, true));
      syncMergeForm(node, "value", group, groups);
    });
    dom.valuesEmpty.hidden = groups.length > 0;
    dom.valuesCount.textContent = groups.length ? `(${counts(model).values})` : "";
  }

  function toggleMerge(kind, key) {
    const wanted = `${kind}:${key}`;
    ui.merging = ui.merging === wanted ? null : wanted;
    room.render();
    if (ui.merging) {
      const select = document.querySelector(".merge-form select");
      if (select) select.focus();
    }
  }

  // How each kind of card is merged: values move as a group, a statement with its copies.
  const MERGE = {
    value: {
      target: (g) => g.firstId,
      send: (group, into) => room.command("values.merge", { ids: group.ids, into }, dom.valuesError),
    },
    statement: {
      target: (g) => g.voteId,
      send: (group, into) => room.command("statement.merge", { id: group.voteId, into }, dom.statementsError),
    },
  };

  /** The "merge into…" control of a card: shown, or not, as `ui.merging` says. */
  function syncMergeForm(node, kind, group, groups) {
    const open = ui.merging === `${kind}:${group.key}`;
    const toggle = node.querySelector(".merge-toggle");
    toggle.setAttribute("aria-expanded", String(open));
    toggle.hidden = groups.length < 2;
    const form = node.querySelector(".merge-form");
    if (open && !form) node.append(mergeForm(kind, group, groups));
    else if (!open && form) form.remove();
  }

  function mergeForm(kind, group, groups) {
    const how = MERGE[kind];
    const selectId = `merge-into-${kind}-${how.target(group)}`;
    const select = el("select", { id: selectId, name: "into" });
    const targets = groups.filter((g) => g.key !== group.key)
      .sort((a, b) => b.count - a.count || a.text.localeCompare(b.text));
    for (const target of targets) {
      select.append(el("option", { value: String(how.target(target)),
        text: interpolate(gettext("%(text)s (%(n)s)"), { text: target.text, n: target.count }, true) }));
    }
    return el("form", {
      className: "merge-form",
      on: {
        submit: (submit) => {
          submit.preventDefault();
          const into = Number(select.value);
          if (!into) return;
          how.send(group, into).catch(ignore);
          ui.merging = null;
          room.render();
        },
      },
    },
    el("label", { htmlFor: selectId,
      text: interpolate(gettext("Merge “%(text)s” into"), { text: group.text }, true) }),
    select,
    el("button", { type: "submit", className: "btn btn--primary btn--small", text: gettext("Merge") }),
    el("button", { type: "button", className: "btn btn--ghost btn--small", text: gettext("Cancel"),
      on: { click: () => toggleMerge(kind, group.key) } }));
  }

  function renderStatements(model) {
    const groups = statementGroups(model).sort((a, b) => b.firstId - a.firstId);
    const hidden = resultsHidden(model, "statement");
    const live = new Set(groups.map((g) => g.voteId));
    for (const id of [...selected]) if (!live.has(id)) selected.delete(id);
    syncKeyed(dom.statementList, groups, (g) => g.key, (first) => {
      const node = el("li", { className: "mod-item mod-item--check", dataset: { testid: "control-statement" } });
      const checkId = `source-${first.voteId}`;
      const check = el("input", { type: "checkbox", id: checkId, className: "source-check",
        on: { change: () => {
          if (check.checked) selected.add(node.group.voteId);
          else selected.delete(node.group.voteId);
          sources.changed();
        } } });
      node.append(
        el("div", { className: "mod-item__check" }, check,
          el("label", { htmlFor: checkId, className: "visually-hidden", text: gettext("Use as a source") })),
        el("div", {},
          el("p", { className: "mod-item__text" }),
          el("p", { className: "mod-item__meta" })),
        el("div", { className: "mod-item__actions" },
          el("button", { type: "button", className: "btn btn--ghost btn--small merge-toggle",
            text: gettext("Merge into…"), on: { click: () => toggleMerge("statement", node.group.key) } }),
          el("button", { type: "button", className: "btn btn--danger btn--small hide-button",
            text: gettext("Hide"),
            on: { click: () => hideGroup("statements.hide", node.group.ids, dom.statementsError) } })),
      );
      return node;
    }, (node, group) => {
      node.group = group;
      node.dataset.ids = group.ids.join(" ");
      node.querySelector(".mod-item__text").textContent = group.text;
      const check = node.querySelector(".source-check");
      check.checked = selected.has(group.voteId);
      node.querySelector(".mod-item__check label").textContent = interpolate(
        gettext("Use “%(text)s” as a source"), { text: group.text }, true);
      const items = group.ids.map((id) => model.statements.get(id));
      node.querySelector(".mod-item__meta").textContent = [
        interpolate(ngettext("%(n)s time", "%(n)s times", group.count), { n: group.count }, true),
        hidden || group.votes == null ? gettext("votes hidden")
          : interpolate(ngettext("%(n)s vote", "%(n)s votes", group.votes), { n: group.votes }, true),
        authorsOf(items),
      ].filter(Boolean).join(" · ");
      node.querySelector(".hide-button").setAttribute("aria-label",
        interpolate(gettext("Hide “%(text)s”"), { text: group.text }, true));
      syncMergeForm(node, "statement", group, groups);
    });
    dom.statementsEmpty.hidden = groups.length > 0;
    dom.statementsCount.textContent = groups.length ? `(${counts(model).statements})` : "";
    sources.changed();
    renderTypedActivities(model);
  }

  /** What people typed as activities, which phones offer as chips: each can be removed. */
  function renderTypedActivities(model) {
    const typed = activityChoices(model).filter((choice) => choice.typed);
    syncKeyed(dom.typedActivities, typed, (choice) => choice.text.trim().toLocaleLowerCase(), () => {
      const node = el("li", { className: "mod-item", dataset: { testid: "typed-activity" } });
      node.append(
        el("div", {},
          el("p", { className: "mod-item__text" }),
          el("p", { className: "mod-item__meta" })),
        el("div", { className: "mod-item__actions" },
          el("button", { type: "button", className: "btn btn--danger btn--small remove-activity",
            text: gettext("Remove"),
            on: { click: (click) => {
              const button = click.currentTarget;
              button.disabled = true;
              room.command("activity.remove", { activity: node.choice.text }, dom.statementsError)
                .catch(() => { button.disabled = false; });
            } } })),
      );
      return node;
    }, (node, choice) => {
      node.choice = choice;
      node.querySelector(".mod-item__text").textContent = choice.text;
      node.querySelector(".mod-item__meta").textContent = interpolate(
        ngettext("in %(n)s statement", "in %(n)s statements", choice.ids.length), { n: choice.ids.length }, true);
      node.querySelector(".remove-activity").setAttribute("aria-label",
        interpolate(gettext("Remove the activity “%(text)s”"), { text: choice.text }, true));
    });
    dom.typedActivitiesBlock.hidden = typed.length === 0;
  }

  /** The ideas feed: every card of the ideas phases, newest first, to hide or move. */
  function renderIdeas(model) {
    const phases = new Map(model.phases.filter((p) => p.kind === "ideas").map((p) => [p.key, p]));
    dom.ideasCard.hidden = phases.size === 0;
    const ideas = [...model.ideas.values()]
      .filter((idea) => !idea.hidden && !idea.pending && phases.has(idea.phase))
      .sort((a, b) => b.id - a.id);
    syncKeyed(dom.ideaList, ideas, (idea) => idea.id, () => {
      const node = el("li", { className: "mod-item", dataset: { testid: "control-idea" } });
      const move = el("select", { className: "idea-move",
        on: { change: () => room.command("idea.move", { id: node.idea.id, column: move.value }, dom.ideasError)
          .catch(() => { move.value = node.idea.column ?? ""; }) } });
      node.append(
        el("div", {}, el("p", { className: "mod-item__text" }), el("p", { className: "mod-item__meta" })),
        el("div", { className: "mod-item__actions" },
          el("label", { className: "visually-hidden idea-move-label" }), move,
          el("button", { type: "button", className: "btn btn--danger btn--small hide-button",
            text: gettext("Hide"),
            on: { click: () => room.command("idea.hide", { id: node.idea.id }, dom.ideasError).catch(ignore) } })),
      );
      return node;
    }, (node, idea) => {
      node.idea = idea;
      const phase = phases.get(idea.phase);
      const parent = idea.parent != null ? model.ideas.get(idea.parent) : null;
      node.querySelector(".mod-item__text").textContent = idea.text;
      node.querySelector(".mod-item__meta").textContent = [
        phase.title,
        parent && !parent.hidden ? interpolate(gettext("answers %(what)s"), { what: quoted(parent.text) }, true) : null,
        idea.votes ? interpolate(ngettext("%(n)s vote", "%(n)s votes", idea.votes), { n: idea.votes }, true) : null,
        idea.by && idea.by.name ? idea.by.name : gettext("anonymous"),
      ].filter(Boolean).join(" · ");
      const move = node.querySelector(".idea-move");
      const columns = phase.columns || [];
      move.hidden = columns.length === 0;
      move.id = `idea-move-${idea.id}`;
      const label = node.querySelector(".idea-move-label");
      label.htmlFor = move.id;
      label.textContent = interpolate(gettext("Column of “%(text)s”"), { text: idea.text }, true);
      const options = columns.map((column) => `${column.key}\u0000${column.title}`).join("\u0001");
      if (move.dataset.options !== options) {
        move.dataset.options = options;
        move.replaceChildren(...columns.map((column) => el("option", { value: column.key, text: column.title })));
      }
      move.value = idea.column ?? "";
      node.querySelector(".hide-button").setAttribute("aria-label",
        interpolate(gettext("Hide “%(text)s”"), { text: idea.text }, true));
    });
    dom.ideasEmpty.hidden = ideas.length > 0;
    dom.ideasCount.textContent = ideas.length ? `(${ideas.length})` : "";
  }

  return { renderValues, renderStatements, renderIdeas };
}
