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
    ideas: new Map(), // id -> {id, phase, text, column, parent, table, by, at, votes}
    materials: (state.materials || []).map((material) => ({ ...material })), // {id, title, url}
    participants: state.participants || 0,
    myVotes: { ...((welcome.you && welcome.you.votes) || {}) },
    myConsent: {}, // principle id -> level placed in its open round (this session)
    people: new Set(), // participant ids seen contributing or voting
    online: null,
    // The principle whose consent round the room sees: the open one, or the one just
    // closed until the facilitator moves on (another round, a phase, the end).
    consentShown: null,
    tables: new Map(), // id -> {id, name, members: [participant ids], ended}
    tablePeople: new Map(), // participant id -> name, of everyone ever seated
  };
  if (model.you.table === undefined) model.you.table = null;
  addTables(model, state.tables || [], state.people || []);
  for (const value of state.values || []) addValue(model, value);
  for (const statement of state.statements || []) addStatement(model, statement);
  for (const principle of state.principles || []) addPrinciple(model, principle);
  for (const idea of state.ideas || []) addIdea(model, idea);
  const open = openConsentRounds(model)[0];
  model.consentShown = open ? open.id : null;
  return model;
}

/** A welcome without state (a resumed socket): who we are may have changed a little. */
export function refreshYou(model, welcome) {
  if (welcome.you) {
    model.you = { table: null, ...welcome.you };
    if (welcome.you.votes) model.myVotes = { ...welcome.you.votes };
  }
}

function seen(model, by) {
  if (by && by.id != null) model.people.add(by.id);
}

function addValue(model, data) {
  seen(model, data.by);
  const known = model.values.get(data.id);
  if (known) {
    // The same id again: approved after premoderation, or restored after hiding. It
    // counts as new only when it was not shown before.
    const wasShown = !known.pending && !known.hidden;
    known.pending = Boolean(data.pending);
    known.hidden = false;
    if (data.text != null) known.text = data.text;
    if (data.key != null && !known.mergedInto) known.key = data.key;
    if (data.by) known.by = data.by;
    return !wasShown && !known.pending;
  }
  model.values.set(data.id, {
    id: data.id,
    text: data.text,
    key: data.key,
    origKey: data.key,
    mergedInto: null,
    by: data.by || null,
    at: data.at || null,
    table: data.table ?? null,
    pending: Boolean(data.pending),
    hidden: Boolean(data.hidden),
  });
  return true;
}

function addStatement(model, data) {
  seen(model, data.by);
  const known = model.statements.get(data.id);
  if (known) {
    const wasShown = !known.pending && !known.hidden;
    known.pending = Boolean(data.pending);
    known.hidden = false;
    for (const field of ["text", "activity", "value", "key"]) {
      if (data[field] != null) known[field] = data[field];
    }
    if (data.value_id !== undefined) known.value_id = data.value_id;
    if (data.by) known.by = data.by;
    return !wasShown && !known.pending;
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
    // null: withheld while the phase's results are hidden
    votes: firstVotes(model, "statement", data.votes),
    merged: Boolean(data.merged), // counts under another statement's key (statement.merged)
    table: data.table ?? null,
    pending: Boolean(data.pending),
    hidden: Boolean(data.hidden),
  });
  return true;
}

function addIdea(model, data) {
  seen(model, data.by);
  const known = model.ideas.get(data.id);
  if (known) {
    const wasShown = !known.pending && !known.hidden;
    known.pending = Boolean(data.pending);
    known.hidden = false;
    for (const field of ["text", "column", "parent", "table"]) {
      if (data[field] !== undefined) known[field] = data[field];
    }
    if (data.by) known.by = data.by;
    return !wasShown && !known.pending;
  }
  model.ideas.set(data.id, {
    id: data.id,
    phase: data.phase,
    text: data.text,
    column: data.column ?? null,
    parent: data.parent ?? null,
    table: data.table ?? null,
    by: data.by || null,
    at: data.at || null,
    // null: withheld while its own phase hides its results
    votes: data.votes !== undefined ? data.votes : ideaResultsHidden(model, data.phase) ? null : 0,
    pending: Boolean(data.pending),
    hidden: Boolean(data.hidden),
  });
  return true;
}

/** True while the ideas phase `key` hides its vote totals. */
function ideaResultsHidden(model, key) {
  const phase = findPhase(model, key);
  return Boolean(phase && phase.results_hidden);
}

/** Apply an idea.* event; returns what changed, as applyEvent does, or undefined when
 * the event is not about ideas. */
function applyIdeaEvent(model, event, data, change, mine) {
  switch (event.event) {
    case "idea.added":
    case "idea.restored":
      return change("idea", addIdea(model, { ...data, at: data.at || event.at, pending: false }), mine);
    case "idea.submitted":
      // Awaiting approval: facilitators get the text, everyone else only the id.
      if (data.text != null) addIdea(model, { ...data, at: event.at, pending: true });
      return change("pending", data.text != null);
    case "idea.hidden": {
      const idea = model.ideas.get(data.id);
      if (idea) {
        idea.hidden = true;
        // Its votes went back to their voters, who can spend them again.
        if (idea.votes != null) idea.votes = 0;
      }
      delete model.myVotes[`idea:${data.id}`];
      return change("idea");
    }
    case "idea.removed":
      model.ideas.delete(data.id);
      delete model.myVotes[`idea:${data.id}`];
      // Its answers stay, answering nothing now.
      for (const id of data.orphans || []) {
        const answer = model.ideas.get(id);
        if (answer) answer.parent = null;
      }
      return change("idea");
    case "idea.moved": {
      const idea = model.ideas.get(data.id);
      if (idea) idea.column = data.column ?? null;
      return change("idea");
    }
    default:
      return undefined;
  }
}

function findPhase(model, key) {
  return model.phases.find((p) => p.key === key) || null;
}

function addPrinciple(model, data) {
  if (data == null || data.id == null) return false;
  seen(model, data.by);
  const known = model.principles.get(data.id);
  if (known) {
    Object.assign(known, data, { votes: known.votes, consent: known.consent });
    return false;
  }
  model.principles.set(data.id, {
    consent: null, sources: [], body: "", status: "draft", ...data,
    votes: firstVotes(model, "principle", data.votes),
    sources: [...(data.sources || [])],
  });
  return true;
}

/** The total a newly known item starts with: the state's, else none yet, which the room
 * is not told while its phase hides results (the server's state says null too). */
function firstVotes(model, kind, votes) {
  if (votes !== undefined) return votes;
  return resultsHidden(model, kind) ? null : 0;
}

/** Mark a value or statement hidden: facilitators keep its text to list and restore it. */
function hide(items, id) {
  const item = items.get(id);
  if (item) item.hidden = true;
}

/** Values `ids` (and any merged into them) now count under `data.key`, as `data.into`. */
function mergeValues(model, ids, data) {
  for (const value of model.values.values()) {
    if (ids.has(value.id) || ids.has(value.mergedInto)) {
      value.key = data.key;
      value.mergedInto = data.into;
    }
  }
  for (const statement of model.statements.values()) {
    if (ids.has(statement.value_id)) statement.value_id = data.into;
  }
}

/** Statements `data.ids` count as `data.into` now: their votes, mine included, moved there. */
function mergeStatements(model, data) {
  const into = model.statements.get(data.into);
  let moved = 0;
  for (const id of data.ids || []) {
    const statement = model.statements.get(id);
    if (statement) Object.assign(statement, { key: data.key, merged: true, votes: data.total == null ? null : 0 });
    moved += model.myVotes[`statement:${id}`] || 0;
    delete model.myVotes[`statement:${id}`];
  }
  if (moved) model.myVotes[`statement:${data.into}`] = (model.myVotes[`statement:${data.into}`] || 0) + moved;
  if (into) into.votes = data.total;
}

/** The kind of phase whose budget and results a vote target belongs to. */
export const VOTING_KIND = { statement: "statements", principle: "principles", idea: "ideas" };

/** Hide a statement; when `refunded`, its votes went back to their voters, who can
 * spend them again. */
function refundOnHide(model, id, refunded) {
  hide(model.statements, id);
  if (!refunded) return;
  delete model.myVotes[`statement:${id}`];
  const hidden = model.statements.get(id);
  if (hidden && hidden.votes != null) hidden.votes = 0;
}

function setTotal(model, kind, id, total) {
  const item = kind === "statement" ? model.statements.get(id)
    : kind === "principle" ? model.principles.get(id)
      : kind === "idea" ? model.ideas.get(id) : null;
  if (item) item.votes = total;
}

/**
 * Apply one event ({seq, event, at, data}) to the model.
 * Returns what it changed, for announcements: {kind, added, mine} or null.
 */
export function applyEvent(model, event) {
  const data = event.data || {};
  const mine = Boolean(data.by && model.you && data.by.id === model.you.id);
  const change = (kind, added = false, isMine = false) => ({ kind, added, mine: isMine });
  // What is left of an event about an item taken back, or hidden from this reader:
  // its seq counts, its content is gone (docs/protocol.md, "What the log replays").
  if (data.redacted === true) return null;
  const aboutIdeas = applyIdeaEvent(model, event, data, change, mine);
  if (aboutIdeas !== undefined) return aboutIdeas;
  const aboutTables = applyTableEvent(model, event, data, change);
  if (aboutTables !== undefined) return aboutTables;
  switch (event.event) {
    case "value.added":
    case "value.restored": {
      const added = addValue(model, { ...data, at: data.at || event.at, pending: false });
      return change("value", added, mine);
    }
    case "value.submitted":
      // Awaiting approval: facilitators get the text, everyone else only the id.
      if (data.text != null) addValue(model, { ...data, at: event.at, pending: true });
      return change("pending", data.text != null);
    case "value.hidden":
      hide(model.values, data.id);
      return change("value");
    case "value.removed":
      model.values.delete(data.id);
      for (const statement of model.statements.values()) {
        if (statement.value_id === data.id) statement.value_id = null;
      }
      // Values that had been merged into it count under their own key again.
      for (const { id, key } of data.regrouped || []) {
        const value = model.values.get(id);
        if (value) Object.assign(value, { key, mergedInto: null });
      }
      return change("value");
    case "value.merged":
    case "values.merged":
      mergeValues(model, new Set([...(data.ids || []), ...(data.id == null ? [] : [data.id])]), data);
      return change("value");
    case "values.hidden":
      for (const id of data.ids || []) hide(model.values, id);
      return change("value");
    case "statements.hidden":
      for (const id of data.ids || []) refundOnHide(model, id, data.refunded);
      return change("statement");
    case "activity.removed":
      // Its statements go, and with them the activity from every phone's suggestions;
      // only facilitators receive the key, to list what they removed.
      for (const id of data.ids || []) refundOnHide(model, id, data.refunded);
      if (data.key != null) {
        const removed = model.workshop.activities_removed || [];
        if (!removed.includes(data.key)) model.workshop.activities_removed = [...removed, data.key];
      }
      return change("statement");
    case "statement.merged":
      mergeStatements(model, data);
      return change("statement");
    case "statement.added":
    case "statement.restored": {
      const added = addStatement(model, { ...data, at: data.at || event.at, pending: false });
      return change("statement", added, mine);
    }
    case "statement.submitted":
      if (data.text != null) addStatement(model, { ...data, at: event.at, pending: true });
      return change("pending", data.text != null);
    case "statement.hidden":
      refundOnHide(model, data.id, data.refunded);
      return change("statement");
    case "statement.removed": {
      const removed = model.statements.get(data.id);
      const twin = data.votes_moved_to != null ? model.statements.get(data.votes_moved_to) : null;
      if (removed && twin) {
        // The same statement by someone else keeps the card and every vote on it.
        if (removed.votes == null || twin.votes == null) twin.votes = null;
        else twin.votes += removed.votes;
        const mine = model.myVotes[`statement:${data.id}`] || 0;
        if (mine) model.myVotes[`statement:${twin.id}`] = (model.myVotes[`statement:${twin.id}`] || 0) + mine;
      }
      model.statements.delete(data.id);
      delete model.myVotes[`statement:${data.id}`];
      for (const principle of model.principles.values()) {
        principle.sources = (principle.sources || []).filter((id) => id !== data.id);
      }
      return change("statement");
    }
    case "phase.opened":
    case "phase.closed": {
      model.consentShown = null; // the facilitator moved on
      const phase = findPhase(model, data.phase);
      if (phase) phase.status = event.event === "phase.opened" ? "open" : "closed";
      // An opening uses up the time it was to open at (early, or on schedule); a closing
      // the time it was to close at (services/schedule.py).
      if (phase && event.event === "phase.opened") phase.opens_at = null;
      if (phase && event.event === "phase.closed") phase.closes_at = null;
      return change("phase");
    }
    case "phase.added":
      if (!findPhase(model, data.phase)) {
        model.phases.push({ key: data.phase, kind: data.kind, title: data.title, prompt: data.prompt,
          status: "pending", vote_budget: data.vote_budget ?? 3, results_hidden: false,
          timer_ends_at: null, position: data.position, columns: data.columns || [],
          minutes: null, tables: false, opens_at: null, closes_at: null });
        model.phases.sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
      }
      return change("phase");
    case "phase.removed":
      model.phases = model.phases.filter((p) => p.key !== data.phase);
      return change("phase");
    case "phase.moved": {
      const order = data.order || [];
      model.phases.sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
      model.phases.forEach((phase, index) => { phase.position = index; });
      return change("phase");
    }
    case "phase.updated": {
      const phase = findPhase(model, data.phase);
      if (phase) Object.assign(phase, { title: data.title, prompt: data.prompt, vote_budget: data.vote_budget });
      if (phase && data.columns) phase.columns = data.columns;
      // Absent from older logs; `notes` reaches facilitators only.
      for (const name of ["minutes", "tables", "notes"]) if (phase && name in data) phase[name] = data[name];
      if (phase && "opens_at" in data) Object.assign(phase, { opens_at: data.opens_at, closes_at: data.closes_at });
      return change("phase");
    }
    case "timer.started":
    case "timer.stopped": {
      const phase = findPhase(model, data.phase);
      if (phase) phase.timer_ends_at = event.event === "timer.started" ? data.ends_at : null;
      return change("timer");
    }
    case "results.hidden":
    case "results.revealed": {
      const phase = findPhase(model, data.phase);
      if (phase) phase.results_hidden = event.event === "results.hidden";
      const kind = phase && Object.keys(VOTING_KIND).find((k) => VOTING_KIND[k] === phase.kind);
      // Each ideas phase hides or shows the totals of its own ideas only.
      const items = kind === "statement" ? model.statements : kind === "principle" ? model.principles
        : kind === "idea" ? new Map([...model.ideas].filter(([, idea]) => idea.phase === phase.key)) : null;
      if (items && event.event === "results.hidden") {
        // Withheld from now on, as in the server's state: no screen shows a stale total.
        for (const item of items.values()) item.votes = null;
      } else if (items && (kind === "idea" || !resultsHidden(model, kind))) {
        // The totals list only targets with votes: everything else of that kind has none.
        for (const item of items.values()) if (item.votes == null) item.votes = 0;
      }
      for (const row of data.totals || []) setTotal(model, row.kind, row.id, row.total);
      return change("results");
    }
    case "workshop.updated":
      Object.assign(model.workshop, data);
      return change("workshop");
    case "moderation.changed":
      model.workshop.premoderated = data.premoderated;
      return change("workshop");
    case "contribution_limit.changed":
      model.workshop.contribution_limit = data.limit;
      return change("workshop");
    case "vote.changed": {
      const target = data.target || {};
      // A total is withheld (null) while a phase hides its results.
      const total = typeof data.total === "number" ? data.total : null;
      setTotal(model, target.kind, target.id, total);
      if (data.voter != null) model.people.add(data.voter);
      const isMine = Boolean(model.you && data.voter === model.you.id);
      if (isMine) model.myVotes[`${target.kind}:${target.id}`] = data.voter_votes;
      return change("vote", false, isMine);
    }
    case "principle.proposed": {
      const added = addPrinciple(model, data);
      return change("principle", added, mine);
    }
    case "principle.edited":
      if (model.principles.has(data.id)) addPrinciple(model, data);
      return change("principle");
    case "principle.finalized": {
      const principle = model.principles.get(data.id);
      if (principle) principle.status = "final";
      return change("principle");
    }
    case "consent.opened":
    case "consent.changed":
    case "consent.closed":
    case "consent.reasons_shown": {
      const principle = model.principles.get(data.principle);
      // Showing a round's reasons brings that round to the projector, open or closed.
      if (event.event === "consent.opened" || data.status === "open"
        || (event.event === "consent.reasons_shown" && data.reasons_shown)) model.consentShown = data.principle;
      if (principle) {
        const previous = principle.consent;
        principle.consent = { round: data.round, status: data.status,
          distribution: { ...(data.distribution || {}) }, reasons: [...(data.reasons || [])],
          all_reasons: data.all_reasons ? data.all_reasons.map((r) => ({ ...r })) : undefined,
          reasons_shown: Boolean(data.reasons_shown) };
        if (!previous || previous.round !== data.round) delete model.myConsent[data.principle];
      }
      if (data.placer != null) model.people.add(data.placer);
      if (event.event === "consent.changed" && model.you && data.placer === model.you.id) {
        model.myConsent[data.principle] = data.level;
      }
      return change("consent");
    }
    case "session.ended":
      // One event ends it all: the phases still open close with it.
      for (const key of data.closed || []) {
        const phase = findPhase(model, key);
        if (phase) Object.assign(phase, { status: "closed", closes_at: null });
      }
      model.workshop.ended = { at: event.at, report: data.report ?? null };
      model.workshop.message = null; // the ending takes the facilitator's message off
      model.consentShown = null;
      return change("session");
    case "session.reopened":
      model.workshop.ended = null;
      return change("session");
    case "material.added":
      if (!model.materials.some((m) => m.id === data.id)) {
        model.materials.push({ id: data.id, title: data.title, url: data.url });
      }
      return change("materials");
    case "material.removed":
      model.materials = model.materials.filter((m) => m.id !== data.id);
      return change("materials");
    case "message.sent": // the facilitator's message to every screen, until cleared
      model.workshop.message = { text: data.text, at: data.at };
      return change("message");
    case "message.cleared":
      model.workshop.message = null;
      return change("message");
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
    if (value.pending || value.hidden) continue; // awaiting approval, or moderated
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
 * The activities the statement builder offers, in order: the facilitator's suggestions
 * (`typed: false`), then those people typed (each card's, oldest first), each once
 * whatever its case. A typed one has `ids`: the statements built on it, which is how it
 * reaches other phones; a facilitator's `activity.remove` hides them all.
 */
export function activityChoices(model) {
  const choices = new Map();
  const key = (text) => (text || "").trim().toLocaleLowerCase();
  for (const text of model.workshop.activity_suggestions || []) {
    if (key(text) && !choices.has(key(text))) choices.set(key(text), { text, typed: false, ids: [] });
  }
  for (const group of statementGroups(model)) {
    if (!key(group.activity)) continue;
    if (!choices.has(key(group.activity))) {
      choices.set(key(group.activity), { text: group.activity, typed: true, ids: [] });
    }
    choices.get(key(group.activity)).ids.push(...group.ids);
  }
  return [...choices.values()];
}

/**
 * Statements grouped by key: [{key, text, activity, value, count, ids, votes, myVotes,
 * voteId, mine, firstId, lastId}]. `voteId` is the statement a new vote goes to (the
 * group's first); `votes` and `myVotes` add up the whole group.
 */
export function statementGroups(model) {
  const groups = new Map();
  for (const statement of model.statements.values()) {
    if (statement.pending || statement.hidden) continue;
    let group = groups.get(statement.key);
    if (!group) {
      group = { key: statement.key, text: statement.text, activity: statement.activity,
        value: statement.value, count: 0, ids: [], votes: 0, myVotes: 0, mine: false,
        firstId: statement.id, lastId: statement.id, voteId: statement.id };
      groups.set(statement.key, group);
    }
    group.count += 1;
    group.ids.push(statement.id);
    if (statement.votes == null) group.votes = null;
    else if (group.votes != null) group.votes += statement.votes;
    group.myVotes += model.myVotes[`statement:${statement.id}`] || 0;
    // The group reads as, and takes new votes on, its first statement that was not merged
    // into it (a typo merged into "assessment" must not become the card's wording).
    const face = model.statements.get(group.voteId);
    if (statement.id < group.firstId) group.firstId = statement.id;
    if ((face.merged && !statement.merged) || (face.merged === statement.merged && statement.id < face.id)) {
      group.voteId = statement.id;
      group.text = statement.text;
      group.activity = statement.activity;
      group.value = statement.value;
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

/**
 * The vote budget for targets of `kind` ("statement" or "principle") in the open phase
 * that takes them: {budget, spent, left} or null when no such phase is open.
 */
export function voteBudget(model, kind) {
  const phase = openPhaseOfKind(model, VOTING_KIND[kind]);
  if (!phase) return null;
  let spent = 0;
  for (const [target, n] of Object.entries(model.myVotes)) {
    if (target.startsWith(`${kind}:`)) spent += n;
  }
  const budget = phase.vote_budget ?? 0;
  return { budget, spent, left: Math.max(0, budget - spent) };
}

/** The vote budget of the open statements phase: {budget, spent, left} or null. */
export function statementBudget(model) {
  return voteBudget(model, "statement");
}

/** True while a phase taking votes on `kind` ("statement"/"principle") hides its totals. */
export function resultsHidden(model, kind) {
  return model.phases.some((phase) => phase.kind === VOTING_KIND[kind] && phase.results_hidden);
}

/** Milliseconds left on a phase's timer at `now` (ms since the epoch), or null. */
export function timerRemaining(phase, now) {
  if (!phase || !phase.timer_ends_at) return null;
  const ends = Date.parse(phase.timer_ends_at);
  if (Number.isNaN(ends)) return null;
  return Math.max(0, ends - now);
}

/** "4:05" or "1:02:09" for a number of milliseconds (rounded up to the second). */
export function formatDuration(ms) {
  const total = Math.ceil(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = String(total % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

/** The phase whose timer the room sees: the current one's, else another open one's. */
export function runningTimerPhase(model) {
  const current = currentPhase(model);
  if (current && current.timer_ends_at) return current;
  // A timer left on a closed phase is over for the room.
  return model.phases.find((phase) => phase.status === "open" && phase.timer_ends_at) || null;
}

/** Moderated items the facilitator can bring back: [{kind, id, text, by}], newest first. */
export function hiddenItems(model) {
  const items = [];
  for (const value of model.values.values()) {
    if (value.hidden) items.push({ kind: "value", ...value });
  }
  for (const statement of model.statements.values()) {
    if (statement.hidden) items.push({ kind: "statement", ...statement });
  }
  for (const idea of model.ideas.values()) {
    if (idea.hidden) items.push({ kind: "idea", ...idea });
  }
  return items.sort((a, b) => (b.at || "").localeCompare(a.at || "") || b.id - a.id);
}

/** The live (shown) statements a principle grew from, in id order. */
export function principleSources(model, principle) {
  const found = [];
  for (const id of principle.sources || []) {
    const statement = model.statements.get(id);
    if (statement && !statement.hidden && !statement.pending) found.push(statement);
  }
  return found.sort((a, b) => a.id - b.id);
}

/** Value groups by key, to look up many statements' roots in one render. */
export function valueGroupIndex(model) {
  return new Map(valueGroups(model).map((group) => [group.key, group]));
}

/**
 * The value a statement builds on, as the room sees it: the text of its value group
 * (following merges), else the wording typed in the statement. Pass `index`
 * (valueGroupIndex) when looking up many.
 */
export function statementRoot(model, statement, index = null) {
  const linked = statement.value_id != null ? model.values.get(statement.value_id) : null;
  if (linked && !linked.hidden) {
    const group = (index || valueGroupIndex(model)).get(linked.key);
    return { text: group ? group.text : linked.text, count: group ? group.count : 1, id: linked.id };
  }
  return { text: statement.value, count: 0, id: null };
}

/** Principles by votes (most first), then agreed order: for the projector's ranking. */
export function rankedPrinciples(model) {
  return principleList(model).sort((a, b) => (b.votes || 0) - (a.votes || 0)
    || (a.position ?? 0) - (b.position ?? 0) || a.id - b.id);
}

/** The principle whose consent round (open, or just closed) the room sees, or null. */
export function consentOnShow(model) {
  const principle = model.consentShown != null ? model.principles.get(model.consentShown) : null;
  return principle && principle.consent ? principle : null;
}

/** Every reason given in a principle's latest round, at every level, oldest first:
 * [{level, reason}]. Older servers sent only the reasons of those who cannot support. */
export function consentReasons(consent) {
  if (!consent) return [];
  if (consent.all_reasons) return consent.all_reasons;
  return (consent.reasons || []).map((reason) => ({ level: "cannot", reason }));
}

/** Each principle's number, as every screen shows it: its place in the agreed order. */
export function principleNumbers(model) {
  return new Map(principleList(model).map((principle, index) => [principle.id, index + 1]));
}

/** The principles with a consent round open right now. */
export function openConsentRounds(model) {
  return principleList(model).filter((p) => p.consent && p.consent.status === "open");
}

export const CONSENT_LEVELS = ["full", "reservations", "discuss", "cannot"];

/** A distribution {full, reservations, ...} with every level and its total. */
export function consentCounts(consent) {
  const distribution = (consent && consent.distribution) || {};
  const counts = {};
  let total = 0;
  for (const level of CONSENT_LEVELS) {
    counts[level] = distribution[level] || 0;
    total += counts[level];
  }
  return { counts, total };
}

/** My own live values and statements (to take back): [{kind, id, text}], newest first. */
export function myItems(model, kind) {
  const items = kind === "value" ? model.values : kind === "idea" ? model.ideas : model.statements;
  const mine = [];
  for (const item of items.values()) {
    if (item.hidden || !item.by || !model.you || item.by.id !== model.you.id) continue;
    mine.push({ kind, id: item.id, text: item.text, pending: item.pending });
  }
  return mine.sort((a, b) => b.id - a.id);
}

/**
 * Who has taken part so far: distinct authors of live values and statements, and the
 * number of people known to have joined (at least everyone seen acting).
 */
export function pulse(model) {
  const valueAuthors = new Set();
  const statementAuthors = new Set();
  for (const value of model.values.values()) {
    if (!value.hidden && !value.pending && value.by) valueAuthors.add(value.by.id);
  }
  for (const statement of model.statements.values()) {
    if (!statement.hidden && !statement.pending && statement.by) statementAuthors.add(statement.by.id);
  }
  return {
    valueAuthors: valueAuthors.size,
    statementAuthors: statementAuthors.size,
    participants: Math.max(model.participants || 0, model.people.size),
  };
}

/** Split `text` on a pattern's matches: [{text}, {slot: the match's first group}, ...]. */
function splitSlots(text, pattern) {
  const parts = [];
  let last = 0;
  let match;
  while ((match = pattern.exec(text)) !== null) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index) });
    parts.push({ slot: match[1] });
    last = pattern.lastIndex;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

/** Split a statement template ("What might {activity} look like...") into parts. */
export function templateParts(template) {
  return splitSlots(template, /\{(activity|value)\}/g);
}

/**
 * Split a prompt into text and the slots of a statement template written out in it, in
 * capitals between brackets as any language writes them: "(ACTIVITY)", "(ACTIVITÉ)".
 */
export function promptParts(prompt) {
  return splitSlots(prompt, /\((\p{Lu}[\p{Lu}\p{M}'’ -]*\p{Lu}|\p{Lu})\)/gu);
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
    if (value.pending && !value.hidden) items.push({ kind: "value", ...value });
  }
  for (const statement of model.statements.values()) {
    if (statement.pending && !statement.hidden) items.push({ kind: "statement", ...statement });
  }
  for (const idea of model.ideas.values()) {
    if (idea.pending && !idea.hidden) items.push({ kind: "idea", ...idea });
  }
  return items.sort((a, b) => (a.at || "").localeCompare(b.at || "") || a.id - b.id);
}

/** Counts for the control room (live contributions only). */
export function counts(model) {
  const groups = valueGroups(model);
  let values = 0;
  let statements = 0;
  for (const value of model.values.values()) if (!value.pending && !value.hidden) values += 1;
  for (const statement of model.statements.values()) {
    if (!statement.pending && !statement.hidden) statements += 1;
  }
  let ideas = 0;
  for (const idea of model.ideas.values()) if (!idea.pending && !idea.hidden) ideas += 1;
  return {
    values,
    distinctValues: groups.length,
    statements,
    ideas,
    participants: Math.max(model.participants || 0, model.people.size),
  };
}

/**
 * An ideas phase as a wall: its columns side by side (one untitled column when it has
 * none), each with its cards oldest first and every card's answers under it:
 * [{key, title, cards: [{...idea, answers: [...]}]}]. An answer whose card the room no
 * longer sees stands as a card of its own. `facilitator`: pending cards too.
 */
export function ideaWall(model, phaseKey, { facilitator = false } = {}) {
  const phase = findPhase(model, phaseKey);
  const columns = phase && phase.columns && phase.columns.length ? phase.columns : [{ key: null, title: "" }];
  const shown = new Map();
  for (const idea of model.ideas.values()) {
    if (idea.phase !== phaseKey || idea.hidden || (idea.pending && !facilitator)) continue;
    shown.set(idea.id, { ...idea, answers: [] });
  }
  const byColumn = new Map(columns.map((column) => [column.key, []]));
  const firstColumn = byColumn.get(columns[0].key);
  for (const card of [...shown.values()].sort((a, b) => a.id - b.id)) {
    const parent = card.parent != null ? shown.get(card.parent) : null;
    if (parent) parent.answers.push(card);
    else (byColumn.get(card.column) || firstColumn).push(card);
  }
  return columns.map((column) => ({ key: column.key, title: column.title, cards: byColumn.get(column.key) }));
}

/** My vote budget in the ideas phase `key` while it is open: {budget, spent, left} or null. */
export function ideaBudget(model, key) {
  const phase = findPhase(model, key);
  if (!phase || phase.kind !== "ideas" || phase.status !== "open") return null;
  let spent = 0;
  for (const [target, n] of Object.entries(model.myVotes)) {
    const idea = target.startsWith("idea:") ? model.ideas.get(Number(target.slice(5))) : null;
    if (idea && idea.phase === key) spent += n;
  }
  const budget = phase.vote_budget ?? 0;
  return { budget, spent, left: Math.max(0, budget - spent) };
}

// ---------------------------------------------------------------------------- tables
// Breakout tables (docs/protocol.md, "Tables"): who sits where, and which table each
// contribution came from, so each table sees its own work first and the plenary labels it.

function addTables(model, tables, people) {
  for (const person of people) model.tablePeople.set(person.id, person.name);
  for (const table of tables) {
    model.tables.set(table.id, { id: table.id, name: table.name, members: [...(table.members || [])],
      ended: Boolean(table.ended) });
  }
}

/** Apply a table event; returns what changed, or undefined when it is not about tables. */
function applyTableEvent(model, event, data, change) {
  const me = model.you ? model.you.id : null;
  switch (event.event) {
    case "tables.formed":
      addTables(model, data.tables || [], data.people || []);
      if (me != null) {
        const mine = (data.tables || []).find((table) => (table.members || []).includes(me));
        model.you.table = mine ? mine.id : null;
      }
      return change("tables");
    case "table.added":
      if (!model.tables.has(data.id)) addTables(model, [data], []);
      return change("tables");
    case "table.changed": {
      for (const table of model.tables.values()) {
        if (!table.ended) table.members = table.members.filter((id) => id !== data.participant);
      }
      const table = model.tables.get(data.table);
      if (table) table.members = [...table.members, data.participant].sort((a, b) => a - b);
      if (data.name != null) model.tablePeople.set(data.participant, data.name);
      if (data.participant === me) model.you.table = data.table;
      return change("tables");
    }
    case "table.renamed": {
      const table = model.tables.get(data.table);
      if (table) table.name = data.name;
      return change("tables");
    }
    case "tables.ended":
      for (const id of data.tables || []) {
        const table = model.tables.get(id);
        if (table) table.ended = true;
      }
      if (model.you) model.you.table = null;
      return change("tables");
    case "tables.top_shown":
      model.workshop.tables_top = Boolean(data.shown);
      return change("tables");
    default:
      return undefined;
  }
}

/** The tables of the round on now, in their order. */
export function currentTables(model) {
  return [...model.tables.values()].filter((table) => !table.ended).sort((a, b) => a.id - b.id);
}

/** The table I sit at now, or null. */
export function myTable(model) {
  const table = model.you && model.you.table != null ? model.tables.get(model.you.table) : null;
  return table && !table.ended ? table : null;
}

/** A table's members as [{id, name}] (name "" when they gave none). */
export function tableMembers(model, table) {
  return table.members.map((id) => ({ id, name: model.tablePeople.get(id) || "" }));
}

/** The name of the table an item came from, or null for the room's own. */
export function tableName(model, item) {
  const table = item && item.table != null ? model.tables.get(item.table) : null;
  return table ? table.name : null;
}

/** The names of the tables the statements `ids` (one card) came from, in table order. */
export function groupTableNames(model, ids) {
  const tables = new Set();
  for (const id of ids) {
    const statement = model.statements.get(id);
    if (statement && statement.table != null && model.tables.has(statement.table)) tables.add(statement.table);
  }
  return [...tables].sort((a, b) => a - b).map((id) => model.tables.get(id).name);
}

/** The model as one table sees its own work: only what was made at table `id` (votes,
 * phases, budgets and everything else unchanged), for "our table first". */
export function tableView(model, id) {
  const only = (items) => new Map([...items].filter(([, item]) => item.table === id));
  // A card no table wrote (the facilitator's, such as a Futures Wheel's centre) is put
  // before every table: each answers it at its own table.
  const ideas = new Map([...model.ideas].filter(([, idea]) => idea.table === id || idea.table == null));
  return { ...model, values: only(model.values), statements: only(model.statements), ideas };
}

/**
 * Each table's top items, for 1-2-4-All's "All" step: per table that made anything,
 * its `most` most-voted statements and ideas (ties: the oldest first), and its values
 * when nothing it made takes votes: [{table, items: [{kind, id, text, votes}]}].
 */
export function topByTable(model, most = 3) {
  const shown = (item) => !item.hidden && !item.pending && item.table != null;
  // A table that worked through several steps (Min Specs: every rule, then the few that
  // matter) brings its latest step's work: among equal votes, the later step first.
  const step = new Map(model.phases.map((phase, index) => [phase.key, index]));
  const statementsStep = model.phases.findIndex((phase) => phase.kind === "statements");
  const rows = new Map();
  const add = (kind, item, at) => {
    if (!shown(item) || !model.tables.has(item.table)) return;
    if (!rows.has(item.table)) rows.set(item.table, []);
    rows.get(item.table).push({ kind, id: item.id, text: item.text, votes: item.votes ?? null, at });
  };
  for (const statement of model.statements.values()) add("statement", statement, statementsStep);
  for (const idea of model.ideas.values()) add("idea", idea, step.get(idea.phase) ?? -1);
  for (const value of model.values.values()) add("value", value, -1);
  return [...rows.entries()].sort(([a], [b]) => a - b).map(([id, items]) => {
    const voted = items.filter((item) => item.kind !== "value");
    const pool = voted.length ? voted : items;
    pool.sort((a, b) => (b.votes || 0) - (a.votes || 0) || b.at - a.at || a.id - b.id);
    return { table: model.tables.get(id), items: pool.slice(0, most) };
  });
}
