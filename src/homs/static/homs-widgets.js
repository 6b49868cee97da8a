// The browser side of homs's widgets: self-check questions, the timeline explorer and the
// annotated excerpt with its layer toggles. An anywidget front-end module (`export default
// { render }`, `render({ model, el })`): JupyterLab loads it through anywidget, and the static
// course book through homs-book.js, which hands it a model that lives in the page.
//
// Everything a widget shows comes from its model. HTML from the model was rendered by homs's
// autoescaping templates (the prompt, the explanations, the feedback, the passages); anything
// else (labels, options, what the learner typed) is set as text, never as markup.
//
// A question is checked here, in the browser, so it works with no kernel: its model holds the
// answer, the accepted answers and the feedback for each. With a kernel, the Python object is
// told too ("check" message) and its verdict, the same, replaces this one.
//
// No imports: this file is vendored as it is, and turned into a classic script for pages
// opened from file:// (where module scripts cannot load).

const DETAIL = "@@HOMS-DETAIL@@";

function nextId(prefix) {
  // One counter for the whole page: anywidget may load this module once per widget, and two
  // questions must never share an id (labels, aria-labelledby) or a radio group's name.
  globalThis.__homsIds = (globalThis.__homsIds || 0) + 1;
  return `${prefix}-${globalThis.__homsIds}`;
}

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

// HTML rendered by homs's templates (escaped there), as a fragment of nodes.
function trusted(html) {
  const template = document.createElement("template");
  template.innerHTML = html || "";
  return template.content;
}

// A fragment with the detail placeholder replaced by `detail`, as text.
function withDetail(html, detail) {
  const content = trusted(html);
  const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeValue.includes(DETAIL)) node.nodeValue = node.nodeValue.split(DETAIL).join(detail);
  }
  return content;
}

function serialize(fragment) {
  const box = document.createElement("div");
  box.append(fragment.cloneNode(true));
  return box.innerHTML;
}

// ----------------------------------------------------------------------------- text helpers
// The same words as homs._text and homs.widgets.questions, so a check says the same here.

function joinAnd(items) {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function plural(count, noun) {
  return `${count} ${count === 1 ? noun : `${noun}s`}`;
}

// Digits of other scripts read as Python's float() reads them (Arabic-Indic, Persian,
// Devanagari, Bengali, full-width): each block's zero.
const ZEROS = [0x30, 0x660, 0x6f0, 0x966, 0x9e6, 0xff10];

function asciiDigits(text) {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0);
    const zero = ZEROS.find((z) => code >= z && code <= z + 9);
    out += zero === undefined ? ch : String(code - zero);
  }
  return out;
}

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;
const SCALE = [
  ["thousand", 1e3],
  ["million", 1e6],
  ["billion", 1e9],
];

function parseNumber(text) {
  let cleaned = asciiDigits(text).trim().toLowerCase().replace(/[,_$]/g, "");
  cleaned = cleaned.replace(/\s+/g, " ");
  let scale = 1;
  for (const [word, factor] of SCALE) {
    if (cleaned.endsWith(word)) {
      cleaned = cleaned.slice(0, -word.length).trim();
      scale = factor;
      break;
    }
  }
  cleaned = cleaned.replace(/ /g, "");
  if (!NUMBER.test(cleaned)) return null;
  return parseFloat(cleaned) * scale;
}

function formatNumber(x, grouping) {
  const text = Number.isInteger(x) ? String(x) : String(x);
  if (!grouping) return text;
  const negative = text.startsWith("-");
  const [whole, fraction] = (negative ? text.slice(1) : text).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return (negative ? "-" : "") + grouped + (fraction === undefined ? "" : `.${fraction}`);
}

// ----------------------------------------------------------------------------- grading
// Each kind returns [verdict, detail] as homs.widgets.questions does: verdict null means "not
// answered yet", true right, false wrong; then the accepted answer the value matches, if any.

function sameList(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

const GRADE = {
  choice(data, value) {
    if (value === null || value === undefined) return [null, "Choose an option, then press Check."];
    if (value === data.answer) return [true, ""];
    return [false, `\u201c${data.labels[value]}\u201d is not the best answer.`];
  },
  multi(data, value) {
    const chosen = new Set(value || []);
    if (!chosen.size) return [null, "Tick at least one option, then press Check."];
    const right = new Set(data.answer);
    const missing = [...right].filter((k) => !chosen.has(k)).length;
    const extra = [...chosen].filter((k) => !right.has(k)).length;
    if (!missing && !extra) return [true, ""];
    const bits = [];
    if (missing) bits.push(`left ${plural(missing, "right option")} unticked`);
    if (extra) bits.push(`ticked ${plural(extra, "option")} that ${extra === 1 ? "does" : "do"} not apply`);
    return [false, `You have ${bits.join(" and ")}.`];
  },
  ordering(data, value) {
    const placed = value.filter((k, i) => k === data.answer[i]).length;
    if (placed === data.answer.length) return [true, ""];
    return [false, `${placed} of ${data.answer.length} are in the right place.`];
  },
  matching(data, value) {
    // data.answer: [item, choice] pairs, in the order homs gives them.
    if (data.answer.every(([k]) => value[k] === null || value[k] === undefined)) {
      return [null, "Choose a match for each item, then press Check."];
    }
    const right = data.answer.filter(([k, v]) => value[k] === v).length;
    if (right === data.answer.length) return [true, ""];
    const also = data.answer.filter(([k, v]) => value[k] !== v && acceptedMatch(data, k, value[k])).length;
    return [false, `${right + also} of ${data.answer.length} matches are right.`];
  },
  numeric(data, value) {
    const text = value || "";
    if (!text.trim()) {
      return [null, data.year ? "Type a year, then press Check." : "Type a number, then press Check."];
    }
    const number = parseNumber(text);
    if (number === null) {
      return [null, `\u201c${text}\u201d is not a number; type digits, like 7 or 1.5.`];
    }
    if (Math.abs(number - data.answer) <= data.tolerance) return [true, ""];
    const higher = number > data.answer;
    const direction = data.year ? (higher ? "late" : "early") : higher ? "high" : "low";
    return [false, `${formatNumber(number, !data.year)} is too ${direction}.`];
  },
  short(data, value) {
    const text = tidy(data, value);
    if (!text) return [null, `Type ${data.form}, then press Check.`];
    if (data.pattern && !new RegExp(data.pattern).test(text)) {
      return [null, `\u201c${text}\u201d is not written as ${data.form}.`];
    }
    if (text === data.answer) return [true, ""];
    return [false, `\u201c${text}\u201d is not the answer.`];
  },
};

// A short answer as ShortAnswer reads it: spaces trimmed and single, upper-cased if asked.
function tidy(data, value) {
  const text = (value || "").split(/\s+/).filter(Boolean).join(" ");
  return data.upper ? text.toUpperCase() : text;
}

function acceptedMatch(data, item, choice) {
  return data.accepted.some(([key]) => key[0] === item && key[1] === choice);
}

// The index in data.accepted of the accepted answer the value matches, or -1.
const ACCEPTED = {
  choice: (data, value) => data.accepted.findIndex(([key]) => key === value),
  multi(data, value) {
    const chosen = data.options.map(([k]) => k).filter((k) => (value || []).includes(k));
    return data.accepted.findIndex(([key]) => sameList(key, chosen));
  },
  ordering: (data, value) => data.accepted.findIndex(([key]) => sameList(key, value)),
  matching(data, value) {
    if (data.answer.some(([k, v]) => value[k] !== v && !acceptedMatch(data, k, value[k]))) return -1;
    const used = data.answer.filter(([k, v]) => value[k] !== v).map(([k]) => [k, value[k]]);
    if (!used.length) return -1;
    return data.combos.findIndex((combo) => JSON.stringify(combo) === JSON.stringify(used));
  },
  short: (data, value) => data.accepted.findIndex(([key]) => key === tidy(data, value)),
  numeric(data, value) {
    const number = parseNumber(value || "");
    if (number === null) return -1;
    return data.accepted.findIndex(([key]) => Math.abs(number - key) <= data.tolerance);
  },
};

// The verdict on a value and the feedback HTML, as Question.check() gives them.
function verdictOf(data, value) {
  if (data.kind === "evidence") return evidenceVerdict(data, value);
  let [verdict, detail] = GRADE[data.kind](data, value);
  let matched = verdict ? "preferred" : null;
  let html;
  if (verdict === false && data.accepted.length) {
    const index = ACCEPTED[data.kind](data, value);
    if (index >= 0) {
      verdict = true;
      matched = "accepted";
      html = data.feedback.accepted[index];
    }
  }
  if (html === undefined) {
    const state = verdict === null ? "none" : verdict ? "right" : "wrong";
    html = serialize(withDetail(data.feedback[state], detail));
  }
  return { correct: verdict, matched, html };
}

// ----------------------------------------------------------------------------- written answers

const SENTENCE_IDS = /(?<![\p{L}\p{N}_-])([ABC])-([0-9]+)(?![\p{L}\p{N}_-])/gu;
const ATTRIBUTION = /(?<![\p{L}\p{N}_])(sources? [ABC](?![\p{L}\p{N}_])|according to(?![\p{L}\p{N}_]))/iu;

function evidenceVerdict(data, value) {
  const text = value || "";
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length < 5) {
    const html = serialize(withDetail(data.feedback.none, "Write your answer (a few sentences), then press Check."));
    return { correct: null, matched: null, html };
  }
  const ids = [...new Set([...text.matchAll(SENTENCE_IDS)].map((m) => `${m[1]}-${m[2]}`))];
  const missing = ids.filter((id) => !(id in data.sentences));
  const cited = ids.filter((id) => id in data.sentences);
  const used = [...new Set(cited.map((id) => id[0]))].sort();
  const report = [
    [cited.length >= data.min_citations,
      `cites at least ${plural(data.min_citations, "sentence")} (you cite ${cited.length})`],
    [used.length >= data.min_sources,
      `uses at least ${plural(data.min_sources, "source")} (you use ${joinAnd(used) || "none"})`],
    [!missing.length, `every id exists${missing.length ? ` (not found: ${joinAnd(missing)})` : ""}`],
    [ATTRIBUTION.test(text), "attributes claims to their source (\u201cSource B says \u2026\u201d)"],
  ];
  const passed = report.filter(([ok]) => ok).length;
  const verdict = passed === report.length;
  const chosen = new Set(cited);
  const shared = [];
  for (const d of data.dependence) {
    const hitSources = new Set(d.versions.filter(([, sid]) => chosen.has(sid)).map(([source]) => source));
    if (hitSources.size >= 2) {
      const hit = d.versions.filter(([, sid]) => chosen.has(sid)).map(([, sid]) => sid);
      shared.push([joinAnd(hit), d.id, d.topic]);
    }
  }
  const content = withDetail(data.feedback[verdict ? "right" : "wrong"], `${passed} of ${report.length} checklist items met.`);
  const body = content.querySelector(".homs-feedback");
  const list = h("ul", { class: "homs-cites" });
  for (const [ok, line] of report) {
    list.append(h("li", {}, h("span", { "aria-hidden": "true" }, ok ? "\u2713 " : "\u2717 "), `${ok ? "Done" : "Not yet"}: ${line}`));
  }
  body.append(list);
  for (const [pair, id, topic] of shared) {
    body.append(h("p", {}, h("b", {}, "Careful:"), ` ${pair} share wording (${topic}; see `, h("code", {}, id), "). They count as one account, not two."));
  }
  if (cited.length) {
    body.append(h("p", {}, "The sentences you cite. Does each one say what you use it for?"));
    const quotes = h("ul", { class: "homs-cites" });
    for (const id of cited) {
      quotes.append(h("li", {}, h("span", { class: "homs-sid" }, id), " ", h("span", { class: "homs-quote" }, `\u201c${data.sentences[id]}\u201d`)));
    }
    body.append(quotes);
  }
  return { correct: verdict, matched: verdict ? "preferred" : null, html: serialize(content) };
}

// ----------------------------------------------------------------------------- controls
// Each control draws the answer from the model's answer_state and writes it back there.

function setAnswer(model, value) {
  model.set("answer_state", value);
  model.save_changes();
}

function choiceControl(data, model, ids) {
  const multiple = data.kind === "multi";
  const box = h("fieldset", { class: "homs-options", "aria-labelledby": ids.prompt });
  const inputs = data.options.map(([key, label], i) => {
    const id = `${ids.base}-o${i}`;
    const input = h("input", { type: multiple ? "checkbox" : "radio", id, name: ids.base, value: key });
    input.addEventListener("change", () => {
      if (multiple) setAnswer(model, inputs.filter((x) => x.checked).map((x) => x.value));
      else if (input.checked) setAnswer(model, key);
    });
    box.append(h("div", { class: "homs-option" }, input, h("label", { for: id }, label)));
    return input;
  });
  const draw = () => {
    const state = model.get("answer_state");
    for (const input of inputs) {
      input.checked = multiple ? (state || []).includes(input.value) : state === input.value;
    }
  };
  return { node: box, draw };
}

function orderingControl(data, model, ids) {
  const list = h("ol", { class: "homs-order", "aria-labelledby": ids.prompt });
  const status = h("p", { class: "homs-sr", role: "status", "aria-live": "polite" });
  let focusAfterDraw = null;
  const move = (key, step) => {
    const order = [...model.get("answer_state")];
    const i = order.indexOf(key);
    const j = Math.min(Math.max(i + step, 0), order.length - 1);
    if (i === j) return;
    order.splice(j, 0, ...order.splice(i, 1));
    focusAfterDraw = [key, step < 0 ? "up" : "down"];
    setAnswer(model, order);
    status.textContent = `${data.labels[key]}: now ${j + 1} of ${order.length}.`;
  };
  const draw = () => {
    const order = model.get("answer_state");
    list.replaceChildren();
    order.forEach((key, i) => {
      const label = data.labels[key];
      const button = (direction, arrow, word, disabled) => {
        const b = h("button", {
          type: "button",
          class: "homs-btn homs-move",
          "data-move": direction,
          "data-key": key,
          "aria-label": `Move ${direction}: ${label}`,
          "aria-disabled": disabled ? "true" : null,
        }, h("span", { "aria-hidden": "true" }, `${arrow} `), word);
        b.addEventListener("click", () => {
          if (b.getAttribute("aria-disabled") !== "true") move(key, direction === "up" ? -1 : 1);
        });
        return b;
      };
      const up = button("up", "\u2191", "Up", i === 0);
      const down = button("down", "\u2193", "Down", i === order.length - 1);
      list.append(h("li", { "data-key": key }, h("span", { class: "homs-order-buttons" }, up, down), h("span", { class: "homs-order-label" }, label)));
    });
    if (focusAfterDraw) {
      // Focus stays on the moved item: on the same button, or the other one at the end.
      const [key, direction] = focusAfterDraw;
      focusAfterDraw = null;
      const find = (d) => list.querySelector(`button[data-key="${CSS.escape(key)}"][data-move="${d}"]`);
      const same = find(direction);
      (same.getAttribute("aria-disabled") === "true" ? find(direction === "up" ? "down" : "up") : same).focus();
    }
  };
  const node = h("div", { class: "homs-ordering" }, list, status);
  return { node, draw };
}

function matchingControl(data, model, ids) {
  const box = h("div", { class: "homs-match", role: "group", "aria-labelledby": ids.prompt });
  const selects = data.items.map(([key, label], i) => {
    const id = `${ids.base}-m${i}`;
    const select = h("select", { id, "data-key": key }, h("option", { value: "" }, "choose\u2026"));
    for (const [value, text] of data.choices) select.append(h("option", { value }, text));
    select.addEventListener("change", () => {
      const state = { ...model.get("answer_state") };
      state[key] = select.value === "" ? null : select.value;
      setAnswer(model, state);
    });
    box.append(h("div", { class: "homs-match-row" }, select, h("label", { for: id }, label)));
    return select;
  });
  const draw = () => {
    const state = model.get("answer_state") || {};
    for (const select of selects) select.value = state[select.dataset.key] ?? "";
  };
  return { node: box, draw };
}

function textControl(data, model, ids, check) {
  const id = `${ids.base}-t`;
  const area = data.kind === "evidence";
  const input = area
    ? h("textarea", { id, rows: 8, placeholder: "Your answer, citing sentence ids such as (A-31, B-19)" })
    : data.kind === "short"
      ? h("input", { id, type: "text", autocomplete: "off", spellcheck: "false", placeholder: data.placeholder || null })
      : h("input", { id, type: "text", inputmode: data.year ? "numeric" : "decimal", autocomplete: "off", placeholder: data.year ? "a year" : "a number" });
  input.addEventListener("input", () => setAnswer(model, input.value));
  if (!area) {
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        check();
      }
    });
  }
  const unit = data.unit ? h("span", { class: "homs-unit" }, data.unit) : null;
  const label = h("label", { for: id, class: "homs-answer-label" }, "Your answer");
  const node = h("div", { class: area ? "homs-written" : "homs-numeric" }, label, " ", input, unit ? " " : null, unit);
  const draw = () => {
    const value = model.get("answer_state") || "";
    if (input.value !== value) input.value = value;
  };
  return { node, draw };
}

const CONTROLS = {
  choice: choiceControl,
  multi: choiceControl,
  ordering: orderingControl,
  matching: matchingControl,
  numeric: textControl,
  short: textControl,
  evidence: textControl,
};

function renderQuestion({ model, el }) {
  const data = model.get("data");
  const base = nextId("homs-q");
  const ids = { base, prompt: `${base}-prompt` };
  const root = h("section", { class: "homs-selfcheck", "data-kind": data.kind, "aria-labelledby": ids.prompt });
  root.append(trusted(data.prompt_html));
  const prompt = root.querySelector(".homs-q-prompt");
  if (prompt) prompt.id = ids.prompt;
  const feedback = h("div", { class: "homs-feedback-region", "aria-live": "polite" });
  let shown = "";
  const showFeedback = (html) => {
    if (html === shown) return;
    shown = html;
    feedback.replaceChildren(trusted(html));
  };
  const check = () => {
    const result = verdictOf(data, model.get("answer_state"));
    showFeedback(result.html);
    root.dataset.verdict = result.correct === null ? "none" : result.correct ? "right" : "wrong";
    model.send({ event: "check" });
  };
  const control = CONTROLS[data.kind](data, model, ids, check);
  const button = h("button", { type: "button", class: "homs-btn homs-check" }, "Check");
  button.addEventListener("click", check);
  root.append(control.node, h("div", { class: "homs-actions" }, button), feedback);
  control.draw();
  const onState = () => control.draw();
  const onFeedback = () => showFeedback(model.get("feedback_html"));
  model.on("change:answer_state", onState);
  model.on("change:feedback_html", onFeedback);
  if (model.get("feedback_html")) onFeedback();
  el.append(root);
  return () => {
    model.off("change:answer_state", onState);
    model.off("change:feedback_html", onFeedback);
  };
}

// ----------------------------------------------------------------------------- timeline

function renderTimeline({ model, el }) {
  const base = nextId("homs-tl");
  const labels = model.get("labels");
  const sourceBoxes = h("fieldset", { class: "homs-tl-sources" }, h("legend", {}, "Show sources"));
  const boxes = Object.entries(labels).map(([source, label]) => {
    const id = `${base}-s${source}`;
    const input = h("input", { type: "checkbox", id, value: source });
    input.addEventListener("change", () => {
      model.set("sources_ticked", boxes.filter((b) => b.checked).map((b) => b.value));
      model.save_changes();
    });
    sourceBoxes.append(h("span", { class: "homs-option" }, input, h("label", { for: id }, label)));
    return input;
  });
  const zoomBox = h("fieldset", { class: "homs-tl-zoom" }, h("legend", {}, "Period"));
  const zooms = model.get("zooms").map((name, i) => {
    const id = `${base}-z${i}`;
    const input = h("input", { type: "radio", id, name: `${base}-zoom`, value: name });
    input.addEventListener("change", () => {
      if (!input.checked) return;
      model.set("zoom_name", name);
      model.save_changes();
    });
    zoomBox.append(h("span", { class: "homs-option" }, input, h("label", { for: id }, name)));
    return input;
  });
  const image = h("div", { class: "homs-tl-image", "aria-live": "polite" });
  const key = () => `${[...model.get("sources_ticked")].sort().join(",")}|${model.get("zoom_name")}`;
  let shown = null;
  const draw = () => {
    const sources = model.get("sources_ticked");
    for (const b of boxes) b.checked = sources.includes(b.value);
    for (const z of zooms) z.checked = z.value === model.get("zoom_name");
    const gallery = model.get("gallery") || {};
    const html = key() in gallery ? gallery[key()] : model.get("image_html");
    if (html !== shown) {
      shown = html;
      image.replaceChildren(trusted(html));
    }
  };
  for (const name of ["sources_ticked", "zoom_name", "image_html", "gallery"]) model.on(`change:${name}`, draw);
  el.append(h("div", { class: "homs-timeline" }, h("div", { class: "homs-tl-controls" }, sourceBoxes, zoomBox), image));
  draw();
  return () => {
    for (const name of ["sources_ticked", "zoom_name", "image_html", "gallery"]) model.off(`change:${name}`, draw);
  };
}

// ----------------------------------------------------------------------------- excerpts
// The passage comes drawn with every layer; hiding a layer takes out its marks, tags, "end of"
// texts, note references and notes, then numbers what is left as homs draws it (1, 2, ...),
// so the page shows what homs.excerpts.excerpt_html(..., layers=...) gives for those layers.

function unwrap(node) {
  node.replaceWith(...node.childNodes);
}

// Removes an element and the line break the template writes after it.
function removeLine(node) {
  const after = node.nextSibling;
  if (after && after.nodeType === Node.TEXT_NODE && !after.nodeValue.trim()) after.remove();
  node.remove();
}

function mergeMarks(parent) {
  let node = parent.firstChild;
  while (node) {
    const next = node.nextSibling;
    if (node.nodeName === "MARK" && next && next.nodeName === "MARK" && next.dataset.h === node.dataset.h) {
      node.append(...next.childNodes);
      next.remove();
      continue;
    }
    if (node.nodeType === Node.ELEMENT_NODE) mergeMarks(node);
    node = node.nextSibling;
  }
  parent.normalize();
}

function filterExcerpt(html, uid, shownLayers, labels) {
  const content = trusted(html);
  const shown = new Set(shownLayers);
  const hiddenLabels = new Set(Object.entries(labels).filter(([key]) => !shown.has(key)).map(([, label]) => label));
  const category = (node) => [...node.classList].find((c) => c.startsWith("homs-c-"))?.slice(7);
  // The notes of hidden layers, by number.
  const noteCategory = {};
  for (const li of content.querySelectorAll("ol.homs-notes > li")) {
    noteCategory[li.id.slice(uid.length + 2)] = category(li.querySelector(".homs-tag"));
  }
  const hiddenNote = (n) => !shown.has(noteCategory[n]);
  const text = content.querySelector(".homs-text");
  if (text) {
    for (const tag of text.querySelectorAll(".homs-tag")) if (!shown.has(category(tag))) tag.remove();
    for (const sr of text.querySelectorAll(".homs-sr")) {
      const label = sr.textContent.replace(/^\(end of /, "").replace(/\)$/, "");
      if (hiddenLabels.has(label)) sr.remove();
    }
    for (const sup of text.querySelectorAll("sup.homs-ref")) {
      const links = [...sup.querySelectorAll("a")].filter((a) => !hiddenNote(a.getAttribute("href").slice(uid.length + 3)));
      sup.replaceChildren();
      links.forEach((a, i) => {
        if (i) sup.append(",");
        sup.append(a);
      });
      if (!links.length) sup.remove();
    }
    for (const mark of [...text.querySelectorAll("mark")]) if (!shown.has(category(mark))) unwrap(mark);
    mergeMarks(text);
  }
  for (const li of content.querySelectorAll("ol.homs-notes > li")) {
    if (hiddenNote(li.id.slice(uid.length + 2))) removeLine(li);
  }
  // Number the notes and highlights that are left, in order.
  const notes = {};
  content.querySelectorAll("ol.homs-notes > li").forEach((li, i) => {
    notes[li.id.slice(uid.length + 2)] = String(i + 1);
    li.id = `${uid}-n${i + 1}`;
    li.setAttribute("value", String(i + 1));
  });
  if (text) {
    const old = [...new Set([...text.querySelectorAll("mark")].map((m) => Number(m.dataset.h.slice(uid.length + 2))))].sort((a, b) => a - b);
    const highlight = Object.fromEntries(old.map((n, i) => [n, i + 1]));
    for (const mark of text.querySelectorAll("mark")) {
      mark.dataset.h = `${uid}-h${highlight[Number(mark.dataset.h.slice(uid.length + 2))]}`;
      mark.setAttribute("aria-describedby", `${uid}-n${notes[mark.getAttribute("aria-describedby").slice(uid.length + 2)]}`);
    }
    for (const a of text.querySelectorAll("sup.homs-ref a")) {
      const n = notes[a.getAttribute("href").slice(uid.length + 3)];
      a.setAttribute("href", `#${uid}-n${n}`);
      a.setAttribute("aria-label", `note ${n}`);
      a.textContent = n;
    }
  }
  const notesList = content.querySelector("ol.homs-notes");
  if (notesList && !notesList.children.length) {
    removeLine(notesList.previousElementSibling); // the "Notes" heading
    removeLine(notesList);
  }
  for (const li of content.querySelectorAll("ul.homs-legend > li")) {
    const last = li.lastChild;
    if (last.nodeType === Node.TEXT_NODE) last.nodeValue = last.nodeValue.replace(/ \(hidden\)$/, "");
    if (!shown.has(category(li.querySelector(".homs-tag")))) li.append(" (hidden)");
    li.normalize();
  }
  return content;
}

function renderExcerpt({ model, el }) {
  const base = nextId("homs-ex");
  const layers = model.get("layers");
  const labels = Object.fromEntries(layers.map((l) => [l.key, l.label]));
  const controls = h("fieldset", { class: "homs-layers" }, h("legend", {}, h("b", {}, "Annotation layers"), " (tick to show):"));
  const boxes = layers.map((layer) => {
    const id = `${base}-${layer.key}`;
    const input = h("input", { type: "checkbox", id, value: layer.key });
    input.addEventListener("change", () => {
      model.set("shown", boxes.filter((b) => b.checked).map((b) => b.value));
      model.save_changes();
    });
    controls.append(h("span", { class: "homs-option", title: `${layer.name}: ${layer.description}` }, input,
      h("label", { for: id }, h("span", { "aria-hidden": "true" }, `${layer.symbol} `), `${layer.label} (${layer.count})`)));
    return input;
  });
  let raw = null;
  if (model.get("html_raw")) {
    const id = `${base}-raw`;
    raw = h("input", { type: "checkbox", id });
    raw.addEventListener("change", () => {
      model.set("raw", raw.checked);
      model.save_changes();
    });
    controls.append(h("span", { class: "homs-option", title: "Show the sentences as stored in the seed file" }, raw, h("label", { for: id }, "Show stored tokens")));
  }
  const view = h("div", { class: "homs-excerpt-view" });
  const draw = () => {
    const shown = model.get("shown");
    for (const b of boxes) b.checked = shown.includes(b.value);
    if (raw) raw.checked = Boolean(model.get("raw"));
    const html = model.get("raw") && model.get("html_raw") ? model.get("html_raw") : model.get("html");
    view.replaceChildren(filterExcerpt(html, model.get("uid"), shown, labels));
  };
  model.on("change:shown", draw);
  model.on("change:raw", draw);
  el.append(h("div", { class: "homs-excerpt-widget" }, controls, view));
  draw();
  return () => {
    model.off("change:shown", draw);
    model.off("change:raw", draw);
  };
}

// ----------------------------------------------------------------------------- entry point

const VIEWS = { question: renderQuestion, timeline: renderTimeline, excerpt: renderExcerpt };

function render({ model, el }) {
  const view = VIEWS[model.get("homs_view")];
  if (!view) {
    el.textContent = `homs: no view named ${model.get("homs_view")}`;
    return undefined;
  }
  return view({ model, el });
}

export default { render };
