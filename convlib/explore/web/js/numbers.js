// convlib's arithmetic, ported line by line from convlib.sizes and convlib.ops.matrix,
// so that the page computes what convlib computes. Every error is the one convlib
// raises: a ValueError or a TypeError with the same words (tools/check_explorers.py
// compares them with Python's over sweeps of settings).

class ValueError extends Error {
  constructor(message) {
    super(message);
    this.name = "ValueError";
  }
}

// A whole number that Python would take for an int (JavaScript has one number type,
// so 3.0 counts; booleans never do).
function isInt(value) {
  return typeof value === "number" && Number.isInteger(value);
}

// What Python's repr() writes for the values these functions take: ints, floats,
// strings, booleans, None, and arrays standing for tuples.
function pyRepr(value) {
  if (Array.isArray(value)) {
    const items = value.map(pyRepr);
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
  }
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "string") return `'${value}'`;
  if (typeof value === "number" && Number.isInteger(value)) return String(value);
  if (typeof value === "number") return Number.isNaN(value) ? "nan" : String(value);
  return String(value);
}

// Python's format(x, f".{precision}g"): `precision` significant digits, correctly
// rounded with ties to even; trailing zeros dropped; exponent notation (1e+06, 1e-05)
// when the exponent is below -4 or at least `precision`.
function formatPrecision(x, precision) {
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : (x > 0 ? "inf" : "-inf");
  const sign = x < 0 ? "-" : "";
  // toExponential rounds correctly, but ties away from zero; Python rounds them to even.
  // A tie is a number whose exact decimal digits stop at a 5 just past the digits kept.
  // 30 more digits show it: a double that is not a tie differs from one well before.
  let [mantissa, exponent] = Math.abs(x).toExponential(precision - 1).split("e");
  const [exact, exactExponent] = Math.abs(x).toExponential(precision + 30).split("e");
  const digits30 = exact.replace(".", "");
  const kept = digits30.slice(0, precision);
  if (/^50*$/.test(digits30.slice(precision)) && Number(kept.at(-1)) % 2 === 0) {
    [mantissa, exponent] = [kept, exactExponent];  // round the tie down, to the even digit
  }
  const digits = mantissa.replace(".", "");
  const power = Number(exponent);
  if (power < -4 || power >= precision) {
    const shown = (digits[0] + "." + digits.slice(1)).replace(/\.?0*$/, "");
    return `${sign}${shown}e${power < 0 ? "-" : "+"}${String(Math.abs(power)).padStart(2, "0")}`;
  }
  const fixed = power >= 0
    ? digits.slice(0, power + 1) + "." + digits.slice(power + 1)
    : "0." + "0".repeat(-power - 1) + digits;
  return sign + fixed.replace(/\.?0*$/, "");
}

// Python's f"{v:g}".
function formatG(value) {
  return formatPrecision(value, 6);
}

// convlib.draw.grids.number_text: whole numbers with no decimals, others to two
// significant digits (Python's "{:.2g}").
function numberText(value) {
  return Number.isInteger(value) ? value.toFixed(0) : formatPrecision(value, 2);
}

// Python's f"{n:,}" for an int: thousands separated by commas.
function withCommas(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

// Python's round(): to the nearest int, halves to the even neighbour.
function roundHalfEven(x) {
  const floor = Math.floor(x);
  const rest = x - floor;
  if (rest < 0.5) return floor;
  if (rest > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

// -- convlib.sizes.shapes ------------------------------------------------------------

// Padding as (before, after): an int pads both sides alike.
function paddingPair(padding) {
  if (isInt(padding)) return [padding, padding];
  if (Array.isArray(padding) && padding.length === 2 && padding.every(isInt)) return padding;
  throw new TypeError(
    `padding must be an int or a (before, after) pair of ints; got ${pyRepr(padding)}`);
}

// Length of the output along one axis: floor((n + 2p - d(k - 1) - 1) / s) + 1.
function outputSize(n, kernelSize, stride = 1, padding = 0, dilation = 1) {
  const named = [["n", n], ["kernel_size", kernelSize], ["stride", stride],
                 ["dilation", dilation]];
  for (const [name, value] of named) {
    if (!isInt(value)) throw new TypeError(`${name} must be an int; got ${pyRepr(value)}`);
    if (value < 1) throw new ValueError(`${name} must be at least 1; got ${value}`);
  }
  const [before, after] = paddingPair(padding);
  if (before < 0 || after < 0) {
    throw new ValueError(`padding must not be negative; got ${pyRepr(padding)}`);
  }
  const span = dilation * (kernelSize - 1) + 1;  // the dilated kernel's reach
  const padded = n + before + after;
  if (span > padded) {
    throw new ValueError(
      `the kernel spans ${span} (kernel_size=${kernelSize}, dilation=${dilation}) but the ` +
      `padded input is only ${padded} long (n=${n}, padding=${pyRepr(padding)})`);
  }
  return Math.floor((padded - span) / stride) + 1;
}

// An int of at least `minimum`, or convlib's error naming what was given.
function whole(name, value, minimum) {
  if (!isInt(value)) throw new TypeError(`${name} must be an int; got ${pyRepr(value)}`);
  if (value < minimum) throw new ValueError(`${name} must be at least ${minimum}; got ${value}`);
  return value;
}

// What torch.nn.ConvTranspose2d makes of n values along one axis:
// (n - 1)s - 2p + d(k - 1) + output_padding + 1.
function transposedOutputSize(n, kernelSize, stride = 1, padding = 0, outputPadding = 0,
                              dilation = 1) {
  whole("n", n, 1);
  whole("kernel_size", kernelSize, 1);
  whole("stride", stride, 1);
  whole("padding", padding, 0);
  whole("output_padding", outputPadding, 0);
  whole("dilation", dilation, 1);
  if (outputPadding >= stride && outputPadding >= dilation) {
    throw new ValueError(
      "output_padding must be smaller than the stride or the dilation, as PyTorch " +
      `requires; got output_padding=${outputPadding} with stride=${stride} and ` +
      `dilation=${dilation}`);
  }
  const size = (n - 1) * stride - 2 * padding + dilation * (kernelSize - 1) + outputPadding + 1;
  if (size < 1) {
    throw new ValueError(
      `padding=${padding} crops away the whole output: (n - 1)s - 2p + d(k - 1) + ` +
      `output_padding + 1 = ${size} for n=${n}, kernel_size=${kernelSize}, ` +
      `stride=${stride}, dilation=${dilation}, output_padding=${outputPadding}`);
  }
  return size;
}

// -- convlib.sizes.receptive (layers given as tuples) ----------------------------------

// (kernel_size, stride[, dilation[, padding]]) checked and completed.
function tupleSpec(index, name, entry) {
  const form = "(kernel_size, stride), (kernel_size, stride, dilation) or " +
               "(kernel_size, stride, dilation, padding)";
  if (!Array.isArray(entry) || entry.length < 2 || entry.length > 4) {
    throw new TypeError(`layer ${index} (${name}) must be a tuple ${form}; got ${pyRepr(entry)}`);
  }
  if (!entry.every(isInt)) {
    throw new TypeError(`layer ${index} (${name}) must hold ints; got ${pyRepr(entry)}`);
  }
  const [k, s, d, p] = entry.concat([1, 0].slice(entry.length - 2));
  const limits = [["kernel_size", k, 1], ["stride", s, 1], ["dilation", d, 1],
                  ["padding", p, 0]];
  for (const [label, value, low] of limits) {
    if (value < low) {
      throw new ValueError(`layer ${index} (${name}): ${label} must be at least ${low}; ` +
                           `got ${pyRepr(entry)}`);
    }
  }
  return [k, s, d, p];
}

// The field (size r, jump j, start) after one more layer (k, s, d, p):
// r grows by (span - 1) j, the jump multiplies by s, padding moves the start back.
function fieldStep(r, j, start, [k, s, d, p]) {
  const span = d * (k - 1) + 1;
  return [r + (span - 1) * j, j * s, start - p * j];
}

// The receptive field after every layer of a list of (k, s[, d[, p]]) tuples: one row
// per layer, as convlib.receptive_field's FieldRow (name, layer, settings, size, jump,
// start, centre).
function receptiveField(layers) {
  if (!Array.isArray(layers)) {
    throw new TypeError("receptive_field expects a torch.nn.Sequential (or one layer), a list " +
                        "of (kernel_size, stride[, dilation[, padding]]) tuples, or a dict " +
                        `from names to such tuples; got ${typeof layers}`);
  }
  let [r, j, start] = [1, 1, 0];
  return layers.map((entry, i) => {
    const name = `layer ${i + 1}`;
    const [k, s, d, p] = tupleSpec(i, name, entry);
    const words = `k ${k}, s ${s}` + (d !== 1 ? `, d ${d}` : "") + (p ? `, p ${p}` : "");
    [r, j, start] = fieldStep(r, j, start, [k, s, d, p]);
    return {name, layer: words, kernel_size: k, stride: s, dilation: d, padding: p,
            size: r, jump: j, start, centre: start + (r - 1) / 2};
  });
}

// convlib.sizes.receptive.stack_layers: `depth` equal layers padded to keep the size
// at stride 1; dilation "doubling" gives 1, 2, 4, ...
function stackLayers(depth, kernelSize, stride, dilation) {
  const specs = [];
  for (let i = 0; i < depth; i++) {
    const d = dilation === "doubling" ? 2 ** i : Number.parseInt(dilation, 10);
    specs.push([kernelSize, stride, d, Math.floor(d * (kernelSize - 1) / 2)]);
  }
  return specs;
}

// The first and last input pixel (inclusive) that unit `unit` of a row depends on.
function fieldSpan(row, unit) {
  const first = row.start + unit * row.jump;
  return [first, first + row.size - 1];
}

// The unit of a row whose field is centred nearest to `point` (as convlib's drawing).
function nearestUnit(row, point) {
  return Math.max(0, roundHalfEven((point - row.centre) / row.jump));
}

// -- convlib.ops.matrix.conv_matrix_index ----------------------------------------------

// An int or a (rows, columns) pair, each at least `minimum`, as a pair.
function rowsColumns(name, value, minimum) {
  const pair = isInt(value) ? [value, value] : value;
  if (!(Array.isArray(pair) && pair.length === 2 && pair.every(isInt))) {
    throw new TypeError(
      `${name} must be an int or a (rows, columns) pair of ints; got ${pyRepr(value)}`);
  }
  if (Math.min(...pair) < minimum) {
    throw new ValueError(`${name} must be at least ${minimum} along each axis; ` +
                         `got ${pyRepr(value)}`);
  }
  return pair;
}

// Which kernel weight each entry of the convolution's matrix holds: one array per
// output value (matrix row), one entry per input value, the index of the weight in
// the flattened kernel or -1 where the entry is a fixed zero.
function convMatrixIndex(kernelShape, inputShape, stride = 1, padding = 0, dilation = 1) {
  const shape = Array.from(kernelShape);
  if (shape.length < 2 || shape.length > 4) {
    throw new ValueError(
      "the kernel must be 2-D (height, width), 3-D (in_channels, height, width) or 4-D " +
      `(out_channels, in_channels, height, width); got shape ${pyRepr(shape)}`);
  }
  if (Math.min(...shape) < 1) {
    throw new ValueError(`the kernel must not have an empty axis; got shape ${pyRepr(shape)}`);
  }
  const [cOut, cIn, kh, kw] = Array(4 - shape.length).fill(1).concat(shape);
  if (!(Array.isArray(inputShape) && [2, 3].includes(inputShape.length) &&
        inputShape.every(isInt))) {
    throw new TypeError("input_shape must be a tuple (height, width) or (channels, height, " +
                        `width) of ints; got ${pyRepr(inputShape)}`);
  }
  if (Math.min(...inputShape) < 1) {
    throw new ValueError("input_shape must be positive along every axis; " +
                         `got ${pyRepr(inputShape)}`);
  }
  const [channels, height, width] = Array(3 - inputShape.length).fill(1).concat(inputShape);
  if (channels !== cIn) {
    throw new ValueError(
      `the kernel has ${cIn} input channel(s) but input_shape ${pyRepr(inputShape)} has ` +
      `${channels}: a filter needs one kernel per input channel`);
  }
  const [sh, sw] = rowsColumns("stride", stride, 1);
  const [ph, pw] = rowsColumns("padding", padding, 0);
  const [dh, dw] = rowsColumns("dilation", dilation, 1);
  const ho = outputSize(height, kh, sh, ph, dh);
  const wo = outputSize(width, kw, sw, pw, dw);
  const index = [];
  for (let row = 0; row < cOut * ho * wo; row++) {
    index.push(new Array(cIn * height * width).fill(-1));
  }
  for (let o = 0; o < cOut; o++) {
    for (let i = 0; i < ho; i++) {
      for (let j = 0; j < wo; j++) {
        for (let c = 0; c < cIn; c++) {
          for (let a = 0; a < kh; a++) {
            for (let b = 0; b < kw; b++) {
              // the input pixel under weight (a, b); outside the input it is padding
              const r = i * sh - ph + a * dh;
              const s = j * sw - pw + b * dw;
              if (r < 0 || r >= height || s < 0 || s >= width) continue;
              const weight = ((o * cIn + c) * kh + a) * kw + b;
              index[(o * ho + i) * wo + j][(c * height + r) * width + s] = weight;
            }
          }
        }
      }
    }
  }
  return index;
}

// -- convlib.sizes.counts ----------------------------------------------------------------

function positive(name, value) {
  if (!isInt(value)) throw new TypeError(`${name} must be a positive int; got ${pyRepr(value)}`);
  if (value < 1) throw new ValueError(`${name} must be at least 1; got ${value}`);
  return value;
}

// The kernel's size per axis: an int means a square 2-D kernel.
function kernelSizes(kernelSize) {
  let sizes;
  if (isInt(kernelSize)) {
    sizes = [kernelSize, kernelSize];
  } else if (Array.isArray(kernelSize) && kernelSize.length && kernelSize.every(isInt)) {
    sizes = kernelSize;
  } else {
    throw new TypeError("kernel_size must be an int or a tuple of ints, e.g. 3 or (3, 5); " +
                        `got ${pyRepr(kernelSize)}`);
  }
  if (sizes.some(k => k < 1)) {
    throw new ValueError("kernel_size must be at least 1 along every axis; " +
                         `got ${pyRepr(kernelSize)}`);
  }
  return sizes;
}

function checkGroups(groups, inChannels, outChannels) {
  positive("groups", groups);
  for (const [name, channels] of [["in_channels", inChannels], ["out_channels", outChannels]]) {
    if (channels % groups) {
      throw new ValueError(
        `groups=${groups} must divide ${name}, ${channels}: each of the ${groups} groups ` +
        "takes an equal share of the channels");
    }
  }
  return groups;
}

function gcd(a, b) {
  return b ? gcd(b, a % b) : a;
}

// Every `groups` a layer with these channel counts accepts: the common divisors.
function validGroups(inChannels, outChannels) {
  positive("in_channels", inChannels);
  positive("out_channels", outChannels);
  const common = gcd(inChannels, outChannels);
  const found = [];
  for (let g = 1; g <= common; g++) if (common % g === 0) found.push(g);
  return found;
}

// The learned numbers of a convolution layer:
// out_channels * (in_channels / groups * k_h * k_w), plus out_channels biases.
function convParams(inChannels, outChannels, kernelSize, groups = 1, bias = true) {
  positive("in_channels", inChannels);
  positive("out_channels", outChannels);
  const kernel = kernelSizes(kernelSize);
  checkGroups(groups, inChannels, outChannels);
  if (typeof bias !== "boolean") {
    throw new TypeError(`bias must be True or False; got ${pyRepr(bias)}`);
  }
  const weights = outChannels * (inChannels / groups) * kernel.reduce((a, b) => a * b, 1);
  return weights + (bias ? outChannels : 0);
}

// -- the slide -------------------------------------------------------------------------

// The cross-correlation of the grid `x` with the kernel `k` (stride 1, no padding),
// as convlib.conv2d computes it for one channel: output[i][j] sums x[i + a][j + b] k[a][b].
function correlate(x, k) {
  const rows = outputSize(x.length, k.length);
  const cols = outputSize(x[0].length, k[0].length);
  const out = [];
  for (let i = 0; i < rows; i++) {
    out.push([]);
    for (let j = 0; j < cols; j++) {
      let sum = 0;
      k.forEach((line, a) => line.forEach((w, b) => { sum += x[i + a][j + b] * w; }));
      out[i].push(sum);
    }
  }
  return out;
}
