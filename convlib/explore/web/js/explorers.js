// The five explorers. Each is a function (view, values) that computes with the ports
// in numbers.js, states the numbers in the summary line (marked with data-value), and
// draws what convlib.draw draws for the same settings.

const GAP = 16;  // pixels between panels, as .cl-panels sets
const PANEL_MIN = 105;  // the narrowest a panel is drawn, as .cl-panel sets

// -- the slide (convlib.draw.slide) ------------------------------------------------------

function slideExplorer(view, {step}) {
  const {x, kernel} = view.config;
  const palette = view.palette;
  const out = correlate(x, kernel);
  const cols = out[0].length;
  const [i, j] = [Math.floor(step / cols), step % cols];
  const under = [];  // the input cells under the kernel, in the kernel's order
  const notes = new Map();
  kernel.forEach((line, a) => line.forEach((w, b) => {
    under.push([i + a, j + b]);
    notes.set(`${i + a},${j + b}`, `×${formatG(w)}`);
  }));
  const shown = out.map((line, r) => line.map((v, c) => (r * cols + c <= step ? v : null)));
  const widths = [x[0].length, kernel[0].length, cols];
  // One row if every panel fits at a readable size; else each panel on its own.
  const row = c => widths.reduce((sum, w) => sum + Math.max(w * c, PANEL_MIN) + GAP, -GAP);
  const cell = largestCell(row, view.width(), 34, 44) ??
               fitCell(view.width(), Math.max(...widths), 30, 44);
  const font = Math.round(cell * 0.36);
  const panel = (title, values, role, extra = {}) => ({
    title, body: svg(values[0].length * cell, values.length * cell,
                     grid({rows: values.length, cols: values[0].length, cell, role, palette,
                           values, fontSize: font, ...extra}), title)});
  const products = under.map(([r, c], n) => `${formatG(x[r][c])}×${formatG(kernel.flat()[n])}`);
  view.summary.innerHTML = `Position ${value("position", step)} (0 to ${out.length * cols - 1}): ` +
    `output row ${i}, column ${j} = ${value("output", formatG(out[i][j]))}`;
  view.drawing.innerHTML = panels([
    panel("input", x, "input", {highlight: under, highlightRole: "kernel", notes}),
    panel("kernel", kernel, "kernel"),
    panel("output", shown, "output", {highlight: [[i, j]]}),
  ]) + `<p class="cl-formula">${value("equation", `${products.join(" + ")} = ` +
                                                  formatG(out[i][j]))}</p>`;
}

// -- the output size (convlib.draw.formula), direct and transposed ------------------------

// The layout both forms share: the input as the kernel sees it (a grid of `side` cells,
// `made` the made-up ones), the kernel's first window and, dashed, the next one `step`
// cells on, a dot at the centre of every window, and the output grid.
function windowsDrawing(view, {side, made, size, span, step, dilation, kernelSize,
                               floorFrom, titles}) {
  const palette = view.palette;
  const width = view.width();
  // Side by side at one scale down to 6 pixels a cell (these cells hold no text);
  // else one above the other.
  const row = c => side * c + GAP + Math.max(size * c, PANEL_MIN);
  const cell = largestCell(row, width, 6, 30) ?? fitCell(width, side, 3, 30);
  const hatch = `${view.uid}-made`;
  const cross = `${view.uid}-never`;
  let body = tag("defs", {}, hatchPattern(hatch, palette) +
    tag("pattern", {id: cross, patternUnits: "userSpaceOnUse", width: 7, height: 7},
        tag("path", {d: "M0,0 L7,7 M7,0 L0,7", stroke: palette.text, "stroke-opacity": 0.45,
                     "stroke-width": 1})));
  body += grid({rows: side, cols: side, cell, role: "input", palette, padding: made, hatch});
  for (let a = 0; a < kernelSize; a++) {  // the kernel's taps, `dilation` cells apart
    for (let b = 0; b < kernelSize; b++) {
      body += tag("rect", {x: b * dilation * cell, y: a * dilation * cell, width: cell,
                           height: cell, fill: palette.kernel[1], stroke: "white",
                           "stroke-width": Math.min(1.5, cell / 8)});
    }
  }
  body += tag("rect", {x: 0, y: 0, width: span * cell, height: span * cell, fill: "none",
                       stroke: palette.kernel[1], "stroke-width": 2.5});
  if (size > 1) {
    body += tag("rect", {x: step * cell, y: 0, width: span * cell, height: span * cell,
                         fill: "none", stroke: palette.kernel[1], "stroke-width": 2,
                         "stroke-dasharray": "6 4"});
  }
  if (floorFrom < side) {  // the floor: rows and columns no window reaches
    for (const [x, y, w, h] of [[floorFrom, 0, side - floorFrom, side],
                                [0, floorFrom, floorFrom, side - floorFrom]]) {
      body += tag("rect", {x: x * cell, y: y * cell, width: w * cell, height: h * cell,
                           fill: `url(#${cross})`});
    }
  }
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      body += tag("circle", {cx: (j * step + span / 2) * cell, cy: (i * step + span / 2) * cell,
                             r: Math.max(1.5, 0.22 * cell), fill: palette.output[1]});
    }
  }
  const output = grid({rows: size, cols: size, cell, role: "output", palette});
  return panels([
    {title: titles[0], body: svg(side * cell, side * cell, body, titles[0])},
    {title: titles[1], body: svg(size * cell, size * cell, output, titles[1])},
  ]);
}

// A formula under the drawing, broken onto a new line only between its steps.
function formula(steps) {
  const kept = steps.map(step => `<span class="cl-step">${esc(step)}</span>`).join(" ");
  return `<p class="cl-formula"><span data-value="formula">${kept}</span></p>`;
}

function directSize(view, {n, kernel_size: k, padding: p, stride: s, dilation: d}) {
  const size = outputSize(n, k, s, p, d);
  const span = d * (k - 1) + 1;
  const padded = n + 2 * p;
  const made = new Set();
  for (let i = 0; i < padded; i++) {
    for (let j = 0; j < padded; j++) {
      if (!(p <= i && i < p + n && p <= j && j < p + n)) made.add(`${i},${j}`);
    }
  }
  const top = n + 2 * p - d * (k - 1) - 1;
  view.summary.innerHTML = `n = ${n}, k = ${k}, p = ${p}, s = ${s}, d = ${d}: the kernel ` +
    `spans d(k − 1) + 1 = ${value("span", span)}; the output is ` +
    `${value("output-size", size)} × ${size}.`;
  view.drawing.innerHTML = windowsDrawing(view, {
    side: padded, made, size, span, step: s, dilation: d, kernelSize: k,
    floorFrom: (size - 1) * s + span,
    titles: [`input ${n}×${n}, padded to ${padded}×${padded}`, `output ${size}×${size}`],
  }) + formula([`⌊(${n} + 2·${p} − ${d}·(${k} − 1) − 1) / ${s}⌋ + 1`,
                 `= ⌊${top} / ${s}⌋ + 1`, `= ${size}`]);
}

// A transposed convolution is the direct one (stride 1) of its flipped kernel over the
// input with s - 1 zeros between neighbouring pixels and d(k - 1) - p zeros before it
// (d(k - 1) - p + output_padding after; a negative count crops), as convlib.zero_stuff.
function transposedSize(view, {n, kernel_size: k, padding: p, stride: s, dilation: d,
                               output_padding: a}) {
  const size = transposedOutputSize(n, k, s, p, a, d);
  const span = d * (k - 1) + 1;
  const before = d * (k - 1) - p;
  const side = (n - 1) * s + 1 + 2 * before + a;
  const real = new Set();  // where the input's own pixels land
  for (let i = 0; i < n; i++) real.add(before + i * s);
  const made = new Set();
  for (let i = 0; i < side; i++) {
    for (let j = 0; j < side; j++) if (!(real.has(i) && real.has(j))) made.add(`${i},${j}`);
  }
  const border = before >= 0 ? `d(k − 1) − p = ${before} zeros around them`
                              : `${-before} cropped from each side (d(k − 1) − p = ${before})`;
  view.summary.innerHTML = `Transposed, n = ${n}, k = ${k}, p = ${p}, s = ${s}, d = ${d}, ` +
    `output_padding = ${a}: the flipped kernel slides with stride 1 over ` +
    `${value("stretched", side)} × ${side} cells, the input with s − 1 = ${s - 1} zeros ` +
    `between pixels, ${border}` + (a ? `, and ${a} more after` : "") +
    `; the output is ${value("output-size", size)} × ${size}.`;
  view.drawing.innerHTML = windowsDrawing(view, {
    side, made, size, span, step: 1, dilation: d, kernelSize: k, floorFrom: side,
    titles: [`input ${n}×${n}, zeros inserted: ${side}×${side}`, `output ${size}×${size}`],
  }) + formula([`(${n} − 1)·${s} − 2·${p} + ${d}·(${k} − 1) + ${a} + 1`, `= ${size}`]);
}

function outputSizeExplorer(view, values) {
  const transposed = values.mode === "transposed";
  showControl(view.root, "output_padding", transposed);
  try {
    (transposed ? transposedSize : directSize)(view, values);
  } catch (error) {
    showError(view, error);
  }
}

// -- the receptive field on a photograph (convlib.draw.fieldplots) -------------------------

function receptiveFieldExplorer(view, {depth, kernel_size: k, stride, dilation}) {
  const {image, height: h, width: w} = view.config;
  const palette = view.palette;
  const layers = stackLayers(depth, k, stride,
                             dilation === "1, 2, 4, ..." ? "doubling" : dilation);
  const rows = receptiveField(layers);
  const point = [(h - 1) / 2, (w - 1) / 2];
  const boxes = rows.map(row => [...fieldSpan(row, nearestUnit(row, point[0])),
                                 ...fieldSpan(row, nearestUnit(row, point[1]))]);
  // The view: the image and every box with a margin, as convlib draws it, but at most
  // `reach` image pixels from the centre, so that the photograph stays in sight.
  const margin = 0.5 + 0.02 * Math.max(h, w);
  const reach = Math.max(h, w);
  const y0 = Math.max(Math.min(0, ...boxes.map(b => b[0])) - margin, point[0] - reach);
  const y1 = Math.min(Math.max(h - 1, ...boxes.map(b => b[1])) + margin, point[0] + reach);
  const x0 = Math.max(Math.min(0, ...boxes.map(b => b[2])) - margin, point[1] - reach);
  const x1 = Math.min(Math.max(w - 1, ...boxes.map(b => b[3])) + margin, point[1] + reach);
  // 240 pixels wide beside the table on a wide screen; on a phone, the table goes under
  // the photograph, which takes the width
  const wide = view.width() >= 600 ? 240 : Math.min(view.width(), 360);
  const scale = Math.min(wide / (x1 - x0), 1.4 * wide / (y1 - y0));
  const X = c => (c - x0) * scale;  // image coordinates to drawing pixels
  const Y = r => (r - y0) * scale;
  const shades = view.config.shades[rows.length];  // light to dark, one per layer
  const hatch = `${view.uid}-padding`;
  let body = tag("defs", {}, hatchPattern(hatch, palette));
  body += tag("rect", {x: 0, y: 0, width: X(x1), height: Y(y1), fill: `url(#${hatch})`});
  body += tag("image", {href: image, x: X(-0.5), y: Y(-0.5), width: w * scale,
                        height: h * scale, preserveAspectRatio: "none",
                        style: "image-rendering: pixelated"});
  const outside = [];
  boxes.forEach(([top, bottom, left, right], n) => {
    const box = {x: X(left - 0.5), y: Y(top - 0.5), width: (right - left + 1) * scale,
                 height: (bottom - top + 1) * scale, fill: "none"};
    outside.push(top - 0.5 < y0 || bottom + 0.5 > y1 || left - 0.5 < x0 || right + 0.5 > x1);
    body += tag("rect", {...box, stroke: "white", "stroke-width": 4.2});  // a halo
    body += tag("rect", {...box, stroke: shades[n], "stroke-width": 2.2,
                         "data-span": [top, bottom, left, right].join(",")});
  });
  const [cx, cy] = [X(point[1]), Y(point[0])];
  body += tag("path", {d: `M${cx - 6},${cy} H${cx + 6} M${cx},${cy - 6} V${cy + 6}`,
                       stroke: palette.output[1], "stroke-width": 2});
  const last = rows[rows.length - 1];
  view.summary.innerHTML = `After ${depth} layer${depth > 1 ? "s" : ""}, the centre unit ` +
    `sees ${value("size", last.size)} × ${last.size} pixels; neighbouring units are ` +
    `${value("jump", last.jump)} pixel${last.jump > 1 ? "s" : ""} apart, and unit 0's ` +
    `field starts at pixel ${value("start", last.start)}.`;
  const cells = (row, n) => [
    `<span class="cl-swatch" style="border-color: ${shades[n]}"></span>${esc(row.name)}` +
      (outside[n] ? "<sup>*</sup>" : ""),
    esc(row.layer), row.size, row.jump, row.start, formatG(row.centre)];
  const columns = ["layer", "kind", "size r", "jump j", "start", "centre"];
  const table = `<table class="cl-table"><thead><tr>` +
    columns.map(c => `<th>${c}</th>`).join("") + `</tr></thead><tbody>` +
    rows.map((row, n) => `<tr data-row="${n}">` + cells(row, n).map((c, m) =>
      `<td data-col="${columns[m]}">${c}</td>`).join("") + "</tr>").join("") +
    "</tbody></table>" +
    (outside.some(Boolean) ? `<p class="cl-note-text"><sup>*</sup> reaches beyond the view ` +
                             "(cut off at the edge of the drawing)</p>" : "");
  const label = `The photograph with the receptive field of the centre unit after each of ` +
                `${depth} layers, as nested orange boxes`;
  view.drawing.innerHTML = panels([
    {title: "field of the centre unit", body: svg(X(x1), Y(y1), body, label)},
    {title: "field after each layer", body: table},
  ]);
}

// -- the convolution matrix (convlib.draw.matrix) ------------------------------------------

function convMatrixExplorer(view, {n, kernel_size: k, stride, padding}) {
  let index;
  try {
    index = convMatrixIndex([k, k], [n, n], stride, padding);
  } catch (error) {
    showError(view, error);
    return;
  }
  const palette = view.palette;
  const colours = view.config.colours[k * k];  // [fill, ink] per weight, from convlib
  const [rows, cols] = [index.length, n * n];
  const wo = outputSize(n, k, stride, padding);
  const ho = rows / wo;
  const stored = index.flat().filter(v => v >= 0);
  const distinct = new Set(stored).size;
  // Cells: the matrix beside the kernel and input (one column) and the output if all fit
  // at 17 pixels a cell or more; else the matrix on a line of its own, scrolling if even
  // 17 pixels a cell is too wide.
  const width = view.width();
  const [left, top] = [22, 18];  // room for the row and column numbers
  const needs = c => Math.max(Math.max(k, n) * c, PANEL_MIN) + GAP + left + cols * c + 2 +
                     GAP + Math.max(wo * c, PANEL_MIN);
  const beside = largestCell(needs, width, 17, 26);
  const cell = beside ?? fitCell(width - left - 2, cols, 17, 26);
  const small = beside ?? 26;  // the kernel's, input's and output's cells
  const numbered = (count, across, role) => {
    let body = "";
    for (let m = 0; m < count; m++) {
      const [r, c] = [Math.floor(m / across), m % across];
      body += tag("rect", {x: c * small, y: r * small, width: small, height: small,
                           fill: palette[role][0], stroke: "white", "stroke-width": 1.5});
      body += text((c + 0.5) * small, (r + 0.5) * small, m, {class: "cl-index",
                                                             fill: palette.text});
    }
    return svg(across * small, Math.ceil(count / across) * small, body,
               `${count} ${role} values`);
  };
  let weights = "";
  for (let m = 0; m < k * k; m++) {
    const [r, c] = [Math.floor(m / k), m % k];
    weights += tag("rect", {x: c * small, y: r * small, width: small, height: small,
                            fill: colours[m][0], stroke: "white", "stroke-width": 1.5});
    weights += text((c + 0.5) * small, (r + 0.5) * small, m + 1,
                    {class: "cl-index cl-bold", fill: colours[m][1]});
  }
  let matrix = "";
  for (let c = 0; c < cols; c++) {
    matrix += text(left + (c + 0.5) * cell, top - 5, c, {class: "cl-axis",
                                                       fill: palette.input[1]});
  }
  index.forEach((line, r) => {
    let cellsOfRow = text(left - 4, top + (r + 0.5) * cell, r,
                          {class: "cl-axis cl-right", fill: palette.output[1]});
    line.forEach((weight, c) => {
      const at = {x: left + c * cell, y: top + r * cell, width: cell, height: cell};
      if (weight < 0) {
        cellsOfRow += tag("rect", {...at, fill: "white", stroke: "#d5d5d5", "stroke-width": 0.6});
      } else {
        cellsOfRow += tag("rect", {...at, fill: colours[weight][0], stroke: "#d5d5d5",
                                   "stroke-width": 0.6});
        cellsOfRow += text(left + (c + 0.5) * cell, top + (r + 0.5) * cell, weight + 1,
                           {class: "cl-index cl-bold", fill: colours[weight][1]});
      }
    });
    matrix += tag("g", {"data-row": r, "data-weights": line.join(",")}, cellsOfRow);
  });
  view.summary.innerHTML = `The matrix M has ${value("rows", rows)} rows (one per output ` +
    `value) and ${value("cols", cols)} columns (one per input value): ` +
    `${value("entries", rows * cols)} entries, ${value("stored", stored.length)} hold a ` +
    `kernel weight, ${value("zeros", rows * cols - stored.length)} are fixed zeros; ` +
    `${value("distinct", distinct)} distinct weights.`;
  const sides = column([
    {title: "kernel", role: "kernel", palette,
     body: svg(k * small, k * small, weights, `a ${k} by ${k} kernel, weights 1 to ${k * k}`)},
    {title: "input x, pixels in flatten order", role: "input", palette,
     body: numbered(n * n, n, "input")}]);
  const output = {title: "output y", role: "output", palette,
                  body: numbered(ho * wo, wo, "output")};
  const drawn = {title: `the matrix M (${rows} x ${cols})`,
                 body: svg(left + cols * cell + 2, top + rows * cell + 2, matrix,
                           `the ${rows} by ${cols} matrix, each entry coloured by the kernel ` +
                           "weight it holds")};
  // beside each other in reading order; else the matrix last, on a line of its own
  view.drawing.innerHTML = panels(beside ? [sides, drawn, output] : [sides, output, drawn]);
}

// -- grouped convolutions as wiring (convlib.draw.groups) ----------------------------------

function groupsName(groups, inChannels, outChannels) {
  if (groups === 1) return "standard";
  if (groups === inChannels) {
    return "depthwise" + (outChannels > inChannels
      ? `, ${Math.floor(outChannels / inChannels)} per channel` : "");
  }
  return `${groups} groups`;
}

function groupsExplorer(view, {groups, kernel_size: k}) {
  const {in_channels: cin, out_channels: cout, colours} = view.config;
  const palette = view.palette;
  const mine = convParams(cin, cout, k, groups, false);
  const full = convParams(cin, cout, k, 1, false);
  const pitch = 26;  // pixels between neighbouring channels
  const height = (Math.max(cin, cout) - 1) * pitch;
  const [xIn, xOut, top] = [60, 240, 14];
  // channels spread evenly over the same height, the first at the top
  const at = (count, c) => top + (count > 1 ? c * height / (count - 1) : height / 2);
  const [perIn, perOut] = [cin / groups, cout / groups];
  let body = "";
  for (let o = 0; o < cout; o++) {
    const g = Math.floor(o / perOut);
    for (let i = g * perIn; i < (g + 1) * perIn; i++) {
      body += tag("line", {x1: xIn, y1: at(cin, i), x2: xOut, y2: at(cout, o),
                           stroke: colours[g % colours.length], "stroke-width": 1.4,
                           "stroke-opacity": 0.85});
    }
  }
  for (let i = 0; i < cin; i++) {
    body += tag("circle", {cx: xIn, cy: at(cin, i), r: 7, fill: palette.input[0],
                           stroke: palette.input[1], "stroke-width": 1.2});
  }
  for (let o = 0; o < cout; o++) {
    body += tag("circle", {cx: xOut, cy: at(cout, o), r: 7, fill: palette.output[0],
                           stroke: palette.output[1], "stroke-width": 1.2});
  }
  const below = top + height + 30;
  for (const [x, count, what, role] of [[xIn, cin, "input", "input"],
                                        [xOut, cout, "output", "output"]]) {
    body += text(x, below, `${count} ${what}`, {class: "cl-label", fill: palette[role][1]});
    body += text(x, below + 17, "channels", {class: "cl-label", fill: palette[role][1]});
  }
  const title = `groups=${groups} (${groupsName(groups, cin, cout)})`;
  view.summary.innerHTML = `${value("weights", withCommas(mine))} weights` + (groups === 1
    ? ": every output channel sees every input channel, as in a standard convolution."
    : `, ${value("ratio", formatG(full / mine))} times fewer than groups=1 ` +
      `(${value("full", withCommas(full))}).`);
  view.drawing.innerHTML = panels([{
    title: `${title}, ${withCommas(mine)} weights of ${k}×${k} kernels`,
    body: svg(xOut + xIn, below + 24, body,
              `${cin} input channels joined to the ${cout} output channels whose filters ` +
              `see them, with groups=${groups}`)}]);
}

const EXPLORERS = {
  "slide": slideExplorer,
  "output-size": outputSizeExplorer,
  "receptive-field": receptiveFieldExplorer,
  "conv-matrix": convMatrixExplorer,
  "groups": groupsExplorer,
};

// What the page offers: the ports of convlib's functions (for tests, and for anyone
// curious in the browser's console) and the explorers.
window.convlibExplorers = {
  version: VERSION,
  outputSize, transposedOutputSize, receptiveField, stackLayers, convMatrixIndex,
  convParams, validGroups, correlate, formatG, numberText,
  mount: (id, kind, config) => setTimeout(() => mount(id, EXPLORERS[kind], config), 0),
};
