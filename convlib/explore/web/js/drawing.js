// SVG markup in the book's visual language: the look of convlib.draw.grids (cells in
// the light colour of their role, white borders, the strong colour for what is
// highlighted, hatched grey for made-up padding cells). The colours come from
// convlib.draw.style, passed in by Python as `palette`. Drawings are written as markup
// strings and drawn at one CSS pixel per unit, so text keeps the size it is given.

function esc(text) {
  return String(text).replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;",
                                                '"': "&quot;", "'": "&#39;"}[c]));
}

// An element's attributes, from an object; null and undefined values are left out.
function attrs(values) {
  return Object.entries(values)
    .filter(([, v]) => v !== null && v !== undefined && v !== false)
    .map(([k, v]) => ` ${k}="${esc(v)}"`).join("");
}

function tag(name, values, body) {
  return body === undefined ? `<${name}${attrs(values)}/>`
                            : `<${name}${attrs(values)}>${body}</${name}>`;
}

function text(x, y, content, values = {}) {
  return tag("text", {x, y, ...values}, esc(content));
}

// A whole drawing. `label` says in words what it shows, for screen readers.
function svg(width, height, body, label) {
  return tag("svg", {width: Math.ceil(width), height: Math.ceil(height), role: "img",
                     "aria-label": label, class: "cl-svg"}, body);
}

// The hatching of padding cells and of anything made up; `id` must be unique on the page.
function hatchPattern(id, palette, size = 7) {
  return tag("pattern", {id, patternUnits: "userSpaceOnUse", width: size, height: size},
             tag("rect", {width: size, height: size, fill: palette.padding[0]}) +
             tag("path", {d: `M0,${size} L${size},0 M${-size / 2},${size / 2} L${size / 2},` +
                             `${-size / 2} M${size / 2},${size * 1.5} L${size * 1.5},${size / 2}`,
                          stroke: palette.padding[1], "stroke-width": 1}));
}

// A grid of cells in the look of convlib.draw.grids.draw_grid, its top left at (x, y).
// `values` (rows of numbers, null for an empty cell) are written in the cells;
// `highlight` cells are filled with the strong colour of `highlightRole` and outlined
// together; `padding` cells are hatched; `notes` write a small text in a cell's corner.
function grid({x = 0, y = 0, rows, cols, cell, role, palette, values = null,
               highlight = [], highlightRole = null, padding = new Set(), hatch = null,
               notes = new Map(), fontSize = 15}) {
  const lit = new Set(highlight.map(([i, j]) => `${i},${j}`));
  const strong = palette[highlightRole || role][1];
  let body = "";
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const key = `${i},${j}`;
      // made-up cells are hatched, or plain grey where cells are too small for hatching
      const made = padding.has(key) && (hatch && cell >= 12 ? `url(#${hatch})`
                                                            : palette.padding[0]);
      const fill = lit.has(key) ? strong : made || palette[role][0];
      body += tag("rect", {x: x + j * cell, y: y + i * cell, width: cell, height: cell, fill,
                           stroke: "white", "stroke-width": Math.min(1.5, cell / 8)});
      const ink = lit.has(key) ? "white" : palette.text;
      const value = values ? values[i][j] : null;
      if (value !== null && value !== undefined) {
        body += text(x + (j + 0.5) * cell, y + (i + 0.5) * cell, numberText(value),
                     {class: "cl-cell", fill: ink, "font-size": fontSize});
      }
      if (notes.has(key)) {
        body += text(x + (j + 0.95) * cell, y + (i + 0.93) * cell, notes.get(key),
                     {class: "cl-note", fill: ink});
      }
    }
  }
  if (highlight.length) {
    const top = Math.min(...highlight.map(c => c[0]));
    const left = Math.min(...highlight.map(c => c[1]));
    const bottom = Math.max(...highlight.map(c => c[0])) + 1;
    const right = Math.max(...highlight.map(c => c[1])) + 1;
    body += tag("rect", {x: x + left * cell, y: y + top * cell, width: (right - left) * cell,
                         height: (bottom - top) * cell, fill: "none", stroke: strong,
                         "stroke-width": 2.5});
  }
  return body;
}

// The largest cell size from `high` down to `low` at which a layout needing
// `needs(cell)` pixels fits into `width`, or null if none does.
function largestCell(needs, width, low, high) {
  for (let cell = high; cell >= low; cell--) if (needs(cell) <= width) return cell;
  return null;
}

// The cell size that fits `cells` cells into `width` pixels, between `low` and `high`.
function fitCell(width, cells, low, high) {
  return Math.max(low, Math.min(high, Math.floor(width / Math.max(cells, 1))));
}
