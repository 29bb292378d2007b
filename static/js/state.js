// The shared reducer: a workshop model built from welcome.state and kept current by
// applying events (protocol v1, docs/protocol.md). Pure data, no DOM: every page module
// renders from the same model.
//
// Applying is idempotent: the welcome state may already hold an event that is then
// delivered again, so an add with a known id is a no-op and every other event carries
// absolute values (a vote's new total, a phase's new status).

/** Build a model from a `welcome` frame that carries `state`. */
export function createModel(welcome) {
  const state = welcome.state || {};
  const model = {
    you: welcome.you || { id: null, name: "", role: "participant" },
    workshop: state.workshop || {},
    phases: (state.phases || []).map((phase) => ({ ...phase })),
    values: new Map(), // id -> {id, text, key, origKey, mergedInto, by, at}
    statements: new Map(), // id -> {id, text, activity, value, value_id, key, by, at, votes}
    principles: new Map(), // id -> {...data}
    participants: state.participants || 0,
    myVotes: { ...((welcome.you && welcome.you.votes) || {}) },
    online: null,
  };
  for (const value of state.values || []) addValue(model, value);
  for (const statement of state.statements || []) addStatement(model, statement);
  for (const principle of state.principles || []) addPrinciple(model, principle);
  return model;
}

/** A welcome without state (a resumed socket): who we are may have changed a little. */
export function refreshYou(model, welcome) {
  if (welcome.you) {
    model.you = welcome.you;
    if (welcome.you.votes) model.myVotes = { ...welcome.you.votes };
  }
}

function addValue(model, data) {
  const known = model.values.get(data.id);
  if (known) {
    // Approved after premoderation: the same id comes again, now live for everyone.
    if (known.pending && !data.pending) {
      known.pending = false;
      return true;
    }
    return false;
  }
  model.values.set(data.id, {
    id: data.id,
    text: data.text,
    key: data.key,
    origKey: data.key,
    mergedInto: null,
    by: data.by || null,
    at: data.at || null,
    pending: Boolean(data.pending),
  });
  return true;
}

function addStatement(model, data) {
  const known = model.statements.get(data.id);
  if (known) {
    if (known.pending && !data.pending) {
      known.pending = false;
      return true;
    }
    return false;
  }
  model.statements.set(data.id, {
    id: data.id,
    text: data.text,
    activity: data.activity,
    value: data.value,
    value_id: data.value_id ?? null,
    key: data.key,
    by: data.by || null,
    at: data.at || null,
    votes: data.votes || 0,
    pending: Boolean(data.pending),
  });
  return true;
}

function findPhase(model, key) {
  return model.phases.find((p) => p.key === key) || null;
}

function addPrinciple(model, data) {
  if (data == null || data.id == null || model.principles.has(data.id)) return false;
  model.principles.set(data.id, { votes: 0, ...data });
  return true;
}

/**
 * Apply one event ({seq, event, at, data}) to the model.
 * Returns what it changed, for announcements: {kind, added, mine} or null.
 */
export function applyEvent(model, event) {
  const data = event.data || {};
  const mine = Boolean(data.by && model.you && data.by.id === model.you.id);
  switch (event.event) {
    case "value.added":
    case "value.restored": {
      const added = addValue(model, { ...data, at: data.at || event.at, pending: false });
      return { kind: "value", added, mine };
    }
    case "value.submitted":
      // Awaiting approval: facilitators get the text, everyone else only the id.
      if (data.text != null) addValue(model, { ...data, at: event.at, pending: true });
      return { kind: "pending", added: data.text != null, mine: false };
    case "value.hidden":
      model.values.delete(data.id);
      return { kind: "value", added: false, mine: false };
    case "value.merged": {
      for (const value of model.values.values()) {
        if (value.id === data.id || value.mergedInto === data.id) {
          value.key = data.key;
          value.mergedInto = data.into;
        }
      }
      return { kind: "value", added: false, mine: false };
    }
    case "statement.added":
    case "statement.restored": {
      const added = addStatement(model, { ...data, at: data.at || event.at, pending: false });
      return { kind: "statement", added, mine };
    }
    case "statement.submitted":
      if (data.text != null) addStatement(model, { ...data, at: event.at, pending: true });
      return { kind: "pending", added: data.text != null, mine: false };
    case "statement.hidden":
      model.statements.delete(data.id);
      return { kind: "statement", added: false, mine: false };
    case "phase.opened":
    case "phase.closed": {
      const phase = findPhase(model, data.phase);
      if (phase) phase.status = event.event === "phase.opened" ? "open" : "closed";
      return { kind: "phase", added: false, mine: false };
    }
    case "phase.added":
      if (!findPhase(model, data.phase)) {
        model.phases.push({ key: data.phase, kind: data.kind, title: data.title, prompt: data.prompt,
          status: "pending", vote_budget: data.vote_budget ?? 3, results_hidden: false,
          timer_ends_at: null, position: data.position });
        model.phases.sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
      }
      return { kind: "phase", added: false, mine: false };
    case "phase.removed":
      model.phases = model.phases.filter((p) => p.key !== data.phase);
      return { kind: "phase", added: false, mine: false };
    case "phase.moved": {
      const order = data.order || [];
      model.phases.sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
      model.phases.forEach((phase, index) => { phase.position = index; });
      return { kind: "phase", added: false, mine: false };
    }
    case "phase.updated": {
      const phase = findPhase(model, data.phase);
      if (phase) Object.assign(phase, { title: data.title, prompt: data.prompt, vote_budget: data.vote_budget });
      return { kind: "phase", added: false, mine: false };
    }
    case "timer.started":
    case "timer.stopped": {
      const phase = findPhase(model, data.phase);
      if (phase) phase.timer_ends_at = event.event === "timer.started" ? data.ends_at : null;
      return { kind: "phase", added: false, mine: false };
    }
    case "results.hidden":
    case "results.revealed": {
      const phase = findPhase(model, data.phase);
      if (phase) phase.results_hidden = event.event === "results.hidden";
      for (const row of data.totals || []) {
        const item = row.kind === "statement" ? model.statements.get(row.id) : model.principles.get(row.id);
        if (item) item.votes = row.total;
      }
      return { kind: "phase", added: false, mine: false };
    }
    case "workshop.updated":
      Object.assign(model.workshop, data);
      return { kind: "workshop", added: false, mine: false };
    case "moderation.changed":
      model.workshop.premoderated = data.premoderated;
      return { kind: "workshop", added: false, mine: false };
    case "vote.changed": {
      const target = data.target || {};
      // A total may be withheld while a phase hides its results: keep what we have.
      const total = typeof data.total === "number" ? data.total : null;
      if (target.kind === "statement") {
        const statement = model.statements.get(target.id);
        if (statement && total !== null) statement.votes = total;
      } else if (target.kind === "principle") {
        const principle = model.principles.get(target.id);
        if (principle && total !== null) principle.votes = total;
      }
      if (model.you && data.voter === model.you.id) {
        model.myVotes[`${target.kind}:${target.id}`] = data.voter_votes;
      }
      return { kind: "vote", added: false, mine: model.you && data.voter === model.you.id };
    }
    case "principle.proposed": {
      const added = addPrinciple(model, data);
      return { kind: "principle", added, mine };
    }
    case "principle.edited":
    case "principle.finalized": {
      const principle = model.principles.get(data.id);
      if (principle) {
        Object.assign(principle, data);
        if (event.event === "principle.finalized") principle.status = "final";
      }
      return { kind: "principle", added: false, mine: false };
    }
    default:
      return null; // a kind this client does not know yet: nothing to show
  }
}

/** The open phase with the highest position (phases arrive ordered by position). */
export function currentPhase(model) {
  let current = null;
  for (const phase of model.phases) if (phase.status === "open") current = phase;
  return current;
}

/** The open phase of a kind, if any. */
export function openPhaseOfKind(model, kind) {
  let found = null;
  for (const phase of model.phases) if (phase.kind === kind && phase.status === "open") found = phase;
  return found;
}

/**
 * Values grouped by key, in order of first appearance:
 * [{key, text, count, ids, mine, firstId, lastId}]. The display text is the first seen
 * text of the group's own key (so a merged group keeps its target's wording).
 */
export function valueGroups(model) {
  const groups = new Map();
  for (const value of model.values.values()) {
    if (value.pending) continue; // awaiting approval: not shown to the room
    let group = groups.get(value.key);
    if (!group) {
      group = { key: value.key, text: value.text, own: value.origKey === value.key, count: 0,
        ids: [], mine: false, firstId: value.id, lastId: value.id };
      groups.set(value.key, group);
    } else if (!group.own && value.origKey === value.key) {
      group.text = value.text;
      group.own = true;
    }
    group.count += 1;
    group.ids.push(value.id);
    group.firstId = Math.min(group.firstId, value.id);
    group.lastId = Math.max(group.lastId, value.id);
    if (value.by && model.you && value.by.id === model.you.id) group.mine = true;
  }
  return [...groups.values()].sort((a, b) => a.firstId - b.firstId);
}

/**
 * Statements grouped by key: [{key, text, activity, value, count, ids, votes, myVotes,
 * voteId, mine, firstId, lastId}]. `voteId` is the statement a new vote goes to (the
 * group's first); `votes` and `myVotes` add up the whole group.
 */
export function statementGroups(model) {
  const groups = new Map();
  for (const statement of model.statements.values()) {
    if (statement.pending) continue;
    let group = groups.get(statement.key);
    if (!group) {
      group = { key: statement.key, text: statement.text, activity: statement.activity,
        value: statement.value, count: 0, ids: [], votes: 0, myVotes: 0, mine: false,
        firstId: statement.id, lastId: statement.id, voteId: statement.id };
      groups.set(statement.key, group);
    }
    group.count += 1;
    group.ids.push(statement.id);
    group.votes += statement.votes || 0;
    group.myVotes += model.myVotes[`statement:${statement.id}`] || 0;
    if (statement.id < group.firstId) {
      group.firstId = statement.id;
      group.voteId = statement.id;
      group.text = statement.text;
    }
    group.lastId = Math.max(group.lastId, statement.id);
    if (statement.by && model.you && statement.by.id === model.you.id) group.mine = true;
  }
  return [...groups.values()].sort((a, b) => a.firstId - b.firstId);
}

/** Of a group's statements, one that holds a vote of mine (to take back), or null. */
export function myVotedStatement(model, group) {
  for (const id of group.ids) if ((model.myVotes[`statement:${id}`] || 0) > 0) return id;
  return null;
}

/** The vote budget of the open statements phase: {budget, spent, left} or null. */
export function statementBudget(model) {
  const phase = openPhaseOfKind(model, "statements");
  if (!phase) return null;
  let spent = 0;
  for (const [target, n] of Object.entries(model.myVotes)) {
    if (target.startsWith("statement:")) spent += n;
  }
  const budget = phase.vote_budget ?? 0;
  return { budget, spent, left: Math.max(0, budget - spent) };
}

/** Split a statement template ("What might {activity} look like...") into parts. */
export function templateParts(template) {
  const parts = [];
  const pattern = /\{(activity|value)\}/g;
  let last = 0;
  let match;
  while ((match = pattern.exec(template)) !== null) {
    if (match.index > last) parts.push({ text: template.slice(last, match.index) });
    parts.push({ slot: match[1] });
    last = pattern.lastIndex;
  }
  if (last < template.length) parts.push({ text: template.slice(last) });
  return parts;
}

/** The statement text the server will store (the same replacement it does). */
export function statementText(template, activity, value) {
  return template.replace("{activity}", activity).replace("{value}", value);
}

/** Principles in their agreed order. */
export function principleList(model) {
  return [...model.principles.values()].sort(
    (a, b) => (a.position ?? 0) - (b.position ?? 0) || a.id - b.id);
}

/** Contributions awaiting a facilitator's approval, oldest first: [{kind, id, text, by}]. */
export function pendingItems(model) {
  const items = [];
  for (const value of model.values.values()) {
    if (value.pending) items.push({ kind: "value", ...value });
  }
  for (const statement of model.statements.values()) {
    if (statement.pending) items.push({ kind: "statement", ...statement });
  }
  return items.sort((a, b) => (a.at || "").localeCompare(b.at || "") || a.id - b.id);
}

/** Counts for the control room (live contributions only). */
export function counts(model) {
  const groups = valueGroups(model);
  let values = 0;
  let statements = 0;
  for (const value of model.values.values()) if (!value.pending) values += 1;
  for (const statement of model.statements.values()) if (!statement.pending) statements += 1;
  return {
    values,
    distinctValues: groups.length,
    statements,
    participants: model.participants,
  };
}
