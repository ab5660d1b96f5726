// The race page: reads the scenarios and their styles from the index (GET / as JSON), runs a
// race with GET /race/run and draws its server-sent events as they arrive. fetch() reads the
// stream rather than EventSource, because EventSource hides the status and the problem+json
// body of a refused race (400 for bad input, 503 while another race runs).
"use strict";

const SVG = "http://www.w3.org/2000/svg";
// One colour per style, the same on every run; styles not listed take the spare colours.
const COLOURS = {
  virtual: "#2563eb", platform: "#dc2626", reactive: "#16a34a", "eventloop-blocked": "#9333ea",
  "pinned-sync": "#ea580c", "pinned-native": "#0891b2", "pinned-clinit": "#a16207",
  sequential: "#dc2626", structured: "#2563eb", futures: "#16a34a",
  yielding: "#9333ea", parallel: "#0891b2",
};
const SPARE = ["#db2777", "#4d7c0f", "#7c3aed", "#0f766e"];
// The race's own work parameters, by the name the scenario's routes read.
const WORK = { ms: "ms", calls: "calls", n: "iterations" };
const DEFAULT_STYLES = ["virtual", "platform", "reactive"];
const CHART = { width: 960, height: 380, left: 64, right: 176, top: 28, bottom: 52 };

const $ = (id) => document.getElementById(id);
let scenarios = {};
let lanes = new Map();   // style -> {colour, points: [[ms, count]], elapsedMs, errors, makespanMs, pins: [ms]}
let race = null;         // the plan of the race on screen
let drawPending = false;

function colourOf(style, index) {
  return COLOURS[style] || SPARE[index % SPARE.length];
}

function setStatus(text, state) {
  $("status").textContent = text;
  $("status").dataset.state = state;
}

async function load() {
  const response = await fetch("/", { headers: { Accept: "application/json" } });
  const index = await response.json();
  scenarios = index.scenarios;
  const run = index.endpoints.find((e) => e.path === "/race/run");
  for (const p of run.parameters) {
    const input = $(p.name);
    if (input) {
      input.min = p.minimum;
      input.max = p.maximum;
      input.value = p.default;
      input.closest("label").title += ` (${p.minimum}..${p.maximum})`;
    }
  }
  const select = $("scenario");
  for (const name of Object.keys(scenarios)) {
    select.add(new Option(name, name, name === "sleep", name === "sleep"));
  }
  select.addEventListener("change", showScenario);
  showScenario();
  setStatus("Ready.", "idle");
}

/** The style chips and work inputs of the chosen scenario: only what its routes offer. */
function showScenario() {
  const routes = scenarios[$("scenario").value];
  const styles = routes.map((r) => r.style);
  const wanted = DEFAULT_STYLES.filter((s) => styles.includes(s));
  const checked = wanted.length ? wanted : styles.slice(0, 2);
  const box = $("styles");
  box.replaceChildren();
  styles.forEach((style, i) => {
    const label = document.createElement("label");
    label.title = routes[i].description;
    const input = document.createElement("input");
    input.type = "checkbox";
    input.name = "styles";
    input.value = style;
    input.checked = checked.includes(style);
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = colourOf(style, i);
    label.append(input, swatch, style);
    box.append(label);
  });
  const names = new Set(routes[0].parameters.map((p) => p.name));
  document.querySelectorAll("[data-work]").forEach((label) => {
    label.hidden = !names.has(label.dataset.work);
  });
}

function query() {
  const params = new URLSearchParams();
  params.set("scenario", $("scenario").value);
  params.set("n", $("n").value);
  document.querySelectorAll("[data-work]").forEach((label) => {
    if (!label.hidden) {
      const name = WORK[label.dataset.work];
      params.set(name, $(name).value);
    }
  });
  const styles = [...document.querySelectorAll("#styles input:checked")].map((i) => i.value);
  params.set("styles", styles.join(","));
  return params;
}

async function runRace(event) {
  event.preventDefault();
  $("run").disabled = true;
  setStatus("Starting…", "running");
  try {
    const response = await fetch("/race/run?" + query(), { headers: { Accept: "text/event-stream" } });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({ detail: response.statusText }));
      const retry = response.headers.get("Retry-After");
      setStatus(`${response.status}: ${problem.detail}${retry ? ` (retry after ${retry} s)` : ""}`, "failed");
      return;
    }
    await readEvents(response.body);
  } catch (e) {
    setStatus("The race stream failed: " + e.message, "failed");
  } finally {
    $("run").disabled = false;
  }
}

/** Server-sent events from a fetch body: blocks separated by a blank line, "event:" and "data:" lines. */
async function readEvents(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      break;
    }
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = "message";
      let data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) {
          name = line.slice(6).trim();
        } else if (line.startsWith("data:")) {
          data += line.slice(5).trim();
        }
      }
      if (data) {
        handle(name, JSON.parse(data));
      }
    }
  }
  if ($("status").dataset.state === "running") {
    setStatus("The stream ended before the race did.", "failed");
  }
}

const HANDLERS = {
  race(plan) {
    race = plan;
    lanes = new Map();
    plan.styles.forEach((s, i) => lanes.set(s.style, {
      colour: colourOf(s.style, i), points: [[0, 0]], count: 0, elapsedMs: 0, errors: 0, makespanMs: null, pins: [],
    }));
    const work = Object.entries(plan.work).map(([k, v]) => `${k === "n" ? "iterations" : k}=${v}`).join(" ");
    $("caption").textContent = `${plan.n} × /${plan.scenario}/{style}${work ? "?" + work : ""}; `
      + `time from each style's own t0; dashed: its makespan; ▲ on the time axis: a pinned virtual thread. `
      + `Bound: ${plan.maxSeconds} s for the whole race.`;
    $("pinning-note").textContent = plan.pinningMonitor.enabled
      ? `(JFR, ${plan.pinningMonitor.thresholdMs} ms and longer; events arrive about a second late)`
      : "(the pinning monitor is off)";
    $("pinned").replaceChildren(emptyPinned());
    const body = $("results").tBodies[0];
    body.replaceChildren();
    for (const [style, lane] of lanes) {
      const row = body.insertRow();
      row.dataset.style = style;
      const name = row.insertCell();
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = lane.colour;
      name.append(swatch, style);
      for (const key of ["makespan", "p50", "p99", "max", "probe", "errors", "pinned"]) {
        const cell = row.insertCell();
        cell.className = key + " pending";
        cell.textContent = key === "pinned" ? "0" : "–";
      }
    }
    setStatus(`Racing ${plan.styles.map((s) => s.style).join(", ")}…`, "running");
    draw();
  },
  start(s) {
    row(s.style).classList.add("running");
    setStatus(`Running ${s.style}: ${s.url}`, "running");
  },
  progress(p) {
    const lane = lanes.get(p.style);
    for (const end of p.ends) {
      lane.count += 1;
      lane.points.push([end, lane.count]);
    }
    lane.elapsedMs = Math.max(lane.elapsedMs, p.elapsedMs);
    lane.errors = p.errors;
    cell(p.style, "errors").textContent = String(p.errors);
    scheduleDraw();
  },
  pinned(p) {
    const lane = lanes.get(p.style);
    if (p.atMs !== null) {
      lane.pins.push(p.atMs);
    }
    const pinnedCell = cell(p.style, "pinned");
    pinnedCell.textContent = String(p.count);
    pinnedCell.classList.toggle("bad", p.count > 0);
    const list = $("pinned");
    list.querySelector(".empty")?.remove();
    if (list.children.length < 200) {
      const item = document.createElement("li");
      const at = p.atMs === null ? "" : ` at ${formatMs(p.atMs)}`;
      item.append(`${p.style}${at}: pinned ${formatMs(p.durationMs)}, ${p.pinnedReason}`
        + (p.blockingOperation ? ` (${p.blockingOperation}) ` : " "));
      const code = document.createElement("code");
      code.textContent = p.frame;
      code.title = p.frames.join("\n");
      item.append(code);
      list.append(item);
    }
    scheduleDraw();
  },
  result(r) {
    const tr = row(r.style);
    tr.classList.remove("running");
    tr.querySelectorAll(".pending").forEach((c) => c.classList.remove("pending"));
    if (r.skipped) {
      cell(r.style, "makespan").textContent = "skipped";
      cell(r.style, "makespan").title = r.skipped;
      return;
    }
    const lane = lanes.get(r.style);
    lane.makespanMs = r.makespanMs;
    if (r.makespanMs !== null) {
      // The burst's clock ran on while it closed its connections; the line ends at the last answer.
      lane.elapsedMs = r.makespanMs;
    }
    cell(r.style, "makespan").textContent = r.makespanMs === null ? "no answer" : formatMs(r.makespanMs);
    cell(r.style, "p50").textContent = formatMs(r.p50Ms);
    cell(r.style, "p99").textContent = formatMs(r.p99Ms);
    cell(r.style, "max").textContent = formatMs(r.maxMs);
    cell(r.style, "probe").textContent = formatMs(r.probeP99Ms);
    const errors = cell(r.style, "errors");
    errors.textContent = String(r.errorCount);
    errors.title = Object.entries(r.errors).map(([k, v]) => `${k} ×${v}: ${r.errorExamples[k] || ""}`).join("\n");
    errors.classList.toggle("bad", r.errorCount > 0);
    cell(r.style, "pinned").textContent = String(r.pinnedEvents);
    scheduleDraw();
  },
  done(d) {
    for (const [style, count] of Object.entries(d.pinnedEvents)) {
      cell(style, "pinned").textContent = String(count);
    }
    setStatus(`Done in ${formatMs(d.totalMs)}.`, "done");
    draw();
  },
  failure(f) {
    setStatus(`${f.title}: ${f.detail}`, "failed");
  },
};

function handle(name, data) {
  const handler = HANDLERS[name];
  if (handler) {
    handler(data);
  }
}

function row(style) {
  return $("results").querySelector(`tr[data-style="${CSS.escape(style)}"]`);
}

function cell(style, key) {
  return row(style).querySelector("." + key);
}

function emptyPinned() {
  const item = document.createElement("li");
  item.className = "empty";
  item.textContent = "none so far";
  return item;
}

function formatMs(ms) {
  if (ms === null || ms === undefined) {
    return "–";
  }
  if (ms >= 10000) {
    return (ms / 1000).toFixed(1) + " s";
  }
  if (ms >= 1000) {
    return (ms / 1000).toFixed(2) + " s";
  }
  return (ms >= 100 ? Math.round(ms) : ms.toFixed(1)) + " ms";
}

function scheduleDraw() {
  if (!drawPending) {
    drawPending = true;
    requestAnimationFrame(() => {
      drawPending = false;
      draw();
    });
  }
}

/** A time-axis label: whole milliseconds on a short axis, seconds without trailing zeros on a long one. */
function tick(ms, maxMs) {
  if (ms === 0) {
    return "0";
  }
  return maxMs >= 2000 ? `${parseFloat((ms / 1000).toFixed(3))} s` : `${Math.round(ms)} ms`;
}

/** A round step for about `count` ticks up to `max`: 1, 2 or 5 times a power of ten. */
function step(max, count) {
  const raw = max / count;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
}

function el(name, attributes, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attributes)) {
    node.setAttribute(k, v);
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

function draw() {
  const svg = $("chart");
  svg.replaceChildren();
  if (!race) {
    return;
  }
  const { width, height, left, right, top, bottom } = CHART;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  let maxMs = 100;
  for (const lane of lanes.values()) {
    maxMs = Math.max(maxMs, lane.elapsedMs, lane.makespanMs || 0, ...lane.pins);
  }
  const xStep = step(maxMs, 8);
  maxMs = Math.ceil(maxMs * 1.02 / xStep) * xStep;
  const yStep = step(race.n, 5);
  const x = (ms) => left + (ms / maxMs) * plotW;
  const y = (count) => top + plotH - (count / race.n) * plotH;

  for (let t = 0; t <= maxMs + 1e-9; t += xStep) {
    svg.append(el("line", { class: "grid", x1: x(t), x2: x(t), y1: top, y2: top + plotH }));
    svg.append(el("text", { x: x(t), y: top + plotH + 26, "text-anchor": "middle" }, tick(t, maxMs)));
  }
  for (let c = 0; c <= race.n; c += yStep) {
    svg.append(el("line", { class: "grid", x1: left, x2: left + plotW, y1: y(c), y2: y(c) }));
    svg.append(el("text", { x: left - 8, y: y(c) + 4, "text-anchor": "end" }, String(c)));
  }
  svg.append(el("line", { class: "axis", x1: left, x2: left + plotW, y1: top + plotH, y2: top + plotH }));
  svg.append(el("line", { class: "axis", x1: left, x2: left, y1: top, y2: top + plotH }));
  svg.append(el("text", { class: "title", x: left, y: top - 10 }, `answered requests (of ${race.n})`));
  svg.append(el("text", { x: left + plotW, y: top + plotH + 44, "text-anchor": "end" },
    "time since the style's t0 →"));

  const legend = el("g", { class: "legend" });
  let row = 0;
  for (const [style, lane] of lanes) {
    // A step line: the count rises at each answer's time and holds until the next one.
    let d = `M${x(0)},${y(0)}`;
    for (const [ms, count] of lane.points.slice(1)) {
      d += `H${x(ms).toFixed(1)}V${y(count).toFixed(1)}`;
    }
    const last = lane.points[lane.points.length - 1];
    const until = Math.max(last[0], lane.makespanMs || 0, lane.elapsedMs);
    d += `H${x(until).toFixed(1)}`;
    svg.append(el("path", { class: "lane", "data-style": style, d, stroke: lane.colour }));
    if (lane.makespanMs !== null) {
      svg.append(el("line", {
        class: "makespan", "data-style": style, x1: x(lane.makespanMs), x2: x(lane.makespanMs),
        y1: top, y2: top + plotH, stroke: lane.colour,
      }));
    }
    for (const ms of lane.pins) {
      const px = x(ms);
      // Just under the time axis, where no line runs.
      const py = top + plotH + 2;
      svg.append(el("path", { class: "pin", d: `M${px},${py}l-4,8h8z`, fill: lane.colour }));
    }
    const ly = top + 8 + row * 38;
    legend.append(el("rect", { x: width - right + 16, y: ly - 8, width: 14, height: 4, fill: lane.colour }));
    legend.append(el("text", { x: width - right + 36, y: ly - 2 }, style));
    legend.append(el("text", { x: width - right + 36, y: ly + 14, class: "figure" },
      lane.makespanMs !== null ? formatMs(lane.makespanMs) : (lane.count ? `${lane.count} answered` : "")));
    row += 1;
  }
  svg.append(legend);
}

$("race-form").addEventListener("submit", runRace);
load().catch((e) => setStatus("Could not read the routes from GET /: " + e.message, "failed"));
