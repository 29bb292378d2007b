// The projector screen /j/CODE/screen/: join details, the prompt, the live values cloud
// and the statements as they arrive. Read-only: it sends no commands.
import { LiveClient, cloudScale, el, readConfig, renderLoop, renderStatus, syncKeyed } from "./live.js";
import { applyEvent, createModel, currentPhase, statementGroups, valueGroups } from "./state.js";

const CLOUD_LIMIT = 60; // the most-mentioned groups that fit a projector
const STATEMENT_LIMIT = 12;
const $ = (id) => document.getElementById(id);

const config = readConfig();
const dom = {
  title: $("screen-title"), phase: $("screen-phase"), prompt: $("screen-prompt"),
  cloud: $("screen-cloud"), empty: $("screen-empty"), statements: $("screen-statements"),
  online: $("screen-online"), onlineLabel: $("screen-online-label"), status: $("conn-status"),
  joinUrl: $("screen-join-url"), main: $("main"),
};

// Easier to read from the back of the room without the scheme: example.org/j/ABC234
try {
  const url = new URL(config.join_url);
  dom.joinUrl.textContent = (url.host + url.pathname).replace(/\/$/, "");
} catch {
  // keep the full URL the template rendered
}

let model = null;
const schedule = renderLoop(render);

const client = new LiveClient({
  config,
  resume: false, // the facilitator is recognised by their login session
  onWelcome(welcome, { fresh }) {
    if (fresh || !model) {
      const online = model ? model.online : null;
      model = createModel(welcome);
      model.online = online;
    }
    schedule();
  },
  onEvent(event) {
    if (model) applyEvent(model, event);
  },
  onEventsDone: () => schedule(),
  onPresence(online) {
    if (model) model.online = online;
    renderOnline(online);
  },
  onStatus: (status) => renderStatus(dom.status, status),
  onHelloError(error) {
    dom.prompt.textContent = error.message;
  },
});
client.start(null);

function renderOnline(online) {
  dom.online.textContent = online == null ? "–" : String(online);
  dom.onlineLabel.textContent = ngettext("online", "online", online || 0);
}

function render() {
  if (!model) return;
  const phase = currentPhase(model);
  const kind = phase ? phase.kind : "none";
  dom.main.dataset.phase = kind;
  dom.title.textContent = model.workshop.title || "";
  dom.phase.textContent = phase ? phase.title : gettext("Between activities");
  dom.prompt.textContent = phase && phase.prompt
    ? phase.prompt
    : phase ? phase.title : gettext("The next activity starts soon.");

  const groups = valueGroups(model);
  const shown = groups.length > CLOUD_LIMIT
    ? [...groups].sort((a, b) => b.count - a.count || a.firstId - b.firstId)
      .slice(0, CLOUD_LIMIT).sort((a, b) => a.firstId - b.firstId)
    : groups;
  const max = shown.reduce((m, g) => Math.max(m, g.count), 1);
  // Fewer words, bigger words: the back row must read them.
  dom.cloud.dataset.density = shown.length <= 12 ? "low" : shown.length <= 30 ? "medium" : "high";
  syncKeyed(dom.cloud, shown, (g) => g.key,
    () => el("li", { className: "cloud__item", dataset: { testid: "screen-value" } },
      el("span", { className: "cloud__text" }), el("span", { className: "cloud__count" })),
    (node, group) => {
      node.firstChild.textContent = group.text;
      node.lastChild.textContent = group.count > 1 ? String(group.count) : "";
      node.lastChild.hidden = group.count < 2;
      node.style.setProperty("--scale", cloudScale(group.count, max).toFixed(3));
      node.setAttribute("aria-label", group.count > 1
        ? interpolate(ngettext("%(text)s (%(n)s person)", "%(text)s (%(n)s people)", group.count),
          { text: group.text, n: group.count }, true)
        : group.text);
    });

  const statements = statementGroups(model)
    .sort((a, b) => b.firstId - a.firstId)
    .slice(0, STATEMENT_LIMIT);
  syncKeyed(dom.statements, statements, (g) => g.key,
    () => el("li", { className: "screen-statement", dataset: { testid: "screen-statement" } },
      el("span", { className: "screen-statement__text" }),
      el("span", { className: "screen-statement__meta" },
        el("span", { className: "screen-statement__count" }),
        el("span", { className: "screen-statement__votes" }))),
    (node, group) => {
      node.querySelector(".screen-statement__text").textContent = group.text;
      const count = node.querySelector(".screen-statement__count");
      count.textContent = `×${group.count}`;
      count.hidden = group.count < 2;
      const votes = node.querySelector(".screen-statement__votes");
      votes.textContent = interpolate(ngettext("%(n)s vote", "%(n)s votes", group.votes),
        { n: group.votes }, true);
      votes.hidden = group.votes === 0;
    });

  fitStatements();

  let empty = "";
  if (kind === "values" && groups.length === 0) {
    empty = gettext("Values appear here as people add them.");
  } else if (kind === "statements" && statements.length === 0) {
    empty = gettext("Statements appear here as people write them.");
  } else if (kind === "none" && groups.length === 0 && statements.length === 0) {
    empty = gettext("Scan the code to join.");
  }
  dom.empty.textContent = empty;
  dom.empty.hidden = !empty;
  renderOnline(model.online);
}

// Show only the statements that fit whole: a card cut in half reads badly from afar.
function fitStatements() {
  const box = dom.statements;
  for (const item of box.children) item.classList.remove("is-clipped");
  const limit = box.clientHeight;
  for (const item of box.children) {
    if (item.offsetTop + item.offsetHeight > limit + 1) item.classList.add("is-clipped");
  }
}

window.addEventListener("resize", () => schedule());
