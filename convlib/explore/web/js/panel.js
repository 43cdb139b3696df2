// An explorer's panel: its controls (written by Python, each with a <label>), the line
// that states its numbers, and the drawing. The controls are read on every `input`
// event; the explorer then recomputes and redraws, and redraws again when the panel's
// width changes (a phone turned sideways, a sidebar opened).

const CONTROL_KEYS = new Set(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End",
                              "PageUp", "PageDown"]);

// The current value of every control, by name: numbers for sliders and for selects of
// numbers, text for the other selects.
function readControls(root) {
  const values = {};
  root.querySelectorAll("[data-control]").forEach(control => {
    const number = control.type === "range" || control.dataset.type === "int";
    values[control.dataset.control] = number ? Number(control.value) : control.value;
  });
  return values;
}

// Each slider's value, written beside it as ipywidgets does.
function showReadouts(root) {
  root.querySelectorAll("output[data-readout]").forEach(readout => {
    const control = root.querySelector(`[data-control="${readout.dataset.readout}"]`);
    readout.textContent = control.value;
  });
}

// Show or hide a control (with its label): a control that does nothing in the current
// setting is not shown at all.
function showControl(root, name, shown) {
  root.querySelector(`[data-control="${name}"]`).closest(".cl-control").hidden = !shown;
}

// A number the page states, marked so that a test can read it.
function value(name, content) {
  return `<span data-value="${name}">${esc(content)}</span>`;
}

// Settings with no output: the drawing gives way to the reason, in convlib's words
// (as the notebook's explorers print it).
function showError(view, error) {
  if (!(error instanceof ValueError)) throw error;
  view.summary.innerHTML = `<span class="cl-error"><strong>No output:</strong> ` +
                           `${value("error", error.message)}</span>`;
  view.drawing.innerHTML = "";
}

// A drawing (or table) under its title; `role` puts a swatch of the role's colour (as
// convlib's figures colour their titles) before it, the text itself staying in the page's
// colour so that it reads in both themes.
function panel({title, body, role, palette}) {
  const swatch = role ? `<span class="cl-swatch" style="background: ${palette[role][1]}" ` +
                        `aria-hidden="true"></span>` : "";
  return `<div class="cl-panel"><div class="cl-title">${swatch}${esc(title)}</div>` +
         `${body}</div>`;
}

// Panels side by side, wrapping onto new lines on a narrow screen. An item is a panel's
// fields, or markup (a column of panels, say).
function panels(items) {
  const shown = items.map(item => (typeof item === "string" ? item : panel(item)));
  return `<div class="cl-panels">${shown.join("")}</div>`;
}

// Panels one above the other, as one item of `panels`.
function column(items) {
  return `<div class="cl-column">${items.map(panel).join("")}</div>`;
}

// Wire the panel with id `id` to `explorer(view, values)`. Notebooks may insert an
// output before its element is in the page, so the panel is looked for a few times.
function mount(id, explorer, config, tries = 0) {
  const root = document.getElementById(id);
  if (!root) {
    if (tries < 40) setTimeout(() => mount(id, explorer, config, tries + 1), 50);
    return;
  }
  if (root.dataset.mounted) return;
  root.dataset.mounted = "true";
  const view = {root, config, palette: config.palette, uid: id,
                summary: root.querySelector(".cl-summary"),
                drawing: root.querySelector(".cl-drawing"),
                width: () => root.querySelector(".cl-drawing").clientWidth};
  const redraw = () => {
    showReadouts(root);
    explorer(view, readControls(root));
  };
  root.querySelectorAll("[data-control]").forEach(control => {
    control.disabled = false;  // written disabled, in case no script runs
    control.addEventListener("input", redraw);  // sliders and lists alike
    // The keys that move a slider or a list are the control's own: JupyterLab would
    // take them for its shortcuts and cancel them.
    control.addEventListener("keydown", event => {
      if (CONTROL_KEYS.has(event.key)) event.stopPropagation();
    });
  });
  let width = view.width();
  if (window.ResizeObserver) {
    // Deferred to the next frame: redrawing inside the observer could resize the
    // panel again within the same frame.
    new ResizeObserver(() => requestAnimationFrame(() => {
      if (view.width() !== width) {
        width = view.width();
        redraw();
      }
    })).observe(view.drawing);
  }
  redraw();
}
