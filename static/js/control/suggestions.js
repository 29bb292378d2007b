// The control room's merge suggestions: values that look alike ("care", "caring"), as
// /facilitate/CODE/suggestions.json finds them, fetched again a little after the values
// change, each merged with one click.
import { el, syncKeyed } from "../dom.js";
import { $, ignore } from "./common.js";

const SUGGESTIONS_DELAY = 800; // ms after the last change to the values

function suggestionKey(s) {
  return `${s.into.id}<${s.merge.map((m) => m.id).join(",")}`;
}

export function suggestionsSection(room) {
  const dom = {
    list: $("suggestions-list"), empty: $("suggestions-empty"),
    error: $("suggestions-error"), count: $("suggestions-count"),
  };
  const ui = { suggestions: [], timer: null };

  function refreshSoon() {
    clearTimeout(ui.timer);
    ui.timer = setTimeout(refresh, SUGGESTIONS_DELAY);
  }

  function refresh() {
    clearTimeout(ui.timer);
    fetch(`/facilitate/${encodeURIComponent(room.config.code)}/suggestions.json`, {
      credentials: "same-origin", headers: { Accept: "application/json" },
    })
      .then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then((body) => {
        ui.suggestions = Array.isArray(body.suggestions) ? body.suggestions : [];
        dom.error.textContent = "";
        room.schedule();
      })
      .catch(() => {
        dom.error.textContent = gettext("Could not load the merge suggestions; they come back with the next change.");
      });
  }

  function render(model) {
    // Leave out suggestions this page already knows are done (merged, hidden, removed).
    const live = ui.suggestions.filter((s) => {
      const into = model.values.get(s.into.id);
      if (!into || into.hidden) return false;
      return s.merge.some((m) => {
        const value = model.values.get(m.id);
        return value && !value.hidden && value.key !== into.key;
      });
    });
    syncKeyed(dom.list, live, suggestionKey, () => {
      const node = el("li", { className: "mod-item", dataset: { testid: "merge-suggestion" } });
      node.append(
        el("div", {}, el("p", { className: "mod-item__text" }), el("p", { className: "mod-item__meta" })),
        el("div", { className: "mod-item__actions" },
          el("button", { type: "button", className: "btn btn--primary btn--small suggestion-merge",
            text: gettext("Merge"), on: { click: () => accept(node.suggestion, node) } })),
      );
      return node;
    }, (node, s) => {
      node.suggestion = s;
      const folded = [...new Set(s.merge.map((m) => m.text))].join(", ");
      node.querySelector(".mod-item__text").textContent = interpolate(
        gettext("“%(merge)s” → “%(into)s”"), { merge: folded, into: s.into.text }, true);
      node.querySelector(".mod-item__meta").textContent = interpolate(
        gettext("%(n)s into %(m)s"), {
          n: interpolate(ngettext("%(n)s mention", "%(n)s mentions", s.count), { n: s.count }, true),
          m: interpolate(ngettext("%(n)s mention", "%(n)s mentions", s.into.count), { n: s.into.count }, true),
        }, true);
      node.querySelector(".suggestion-merge").setAttribute("aria-label", interpolate(
        gettext("Merge “%(merge)s” into “%(into)s”"), { merge: folded, into: s.into.text }, true));
    });
    dom.empty.hidden = live.length > 0;
    dom.count.textContent = live.length ? `(${live.length})` : "";
  }

  function accept(s, node) {
    node.querySelector(".suggestion-merge").disabled = true;
    room.command("values.merge", { ids: s.merge.map((m) => m.id), into: s.into.id }, dom.error)
      .catch(ignore)
      .finally(() => refresh());
  }

  return { render, refresh, refreshSoon };
}
