// Runs an ONNX model with onnxruntime-node (ONNX Runtime's CPU build) over a batch file.
//   node ort_run.js --probe ORT_MODULE_DIR
//   node ort_run.js ORT_MODULE_DIR MODEL.onnx INPUTS.bin DTYPE SHAPE_JSON BATCH OUTPUTS.bin [OPTIMIZED.onnx]
// INPUTS.bin holds the raw little-endian samples (shape SHAPE_JSON, first dimension = sample count);
// OUTPUTS.bin receives the model's first output as raw float32, batch after batch.
// One JSON line on stdout describes the run; errors are one line on stderr and exit code 2.
'use strict';
const fs = require('fs');

function fail(message) {
  process.stderr.write(String(message).split('\n')[0] + '\n');
  process.exit(2);
}

function loadRuntime(dir) {
  try {
    return require(require.resolve('onnxruntime-node', { paths: [dir] }));
  } catch (e) {
    fail('onnxruntime-node cannot be loaded from ' + dir + ': ' + e.message);
  }
}

const TYPED = { float32: Float32Array, int64: BigInt64Array, int32: Int32Array, uint8: Uint8Array };

async function run(args) {
  const [dir, modelPath, inputPath, dtype, shapeJson, batchText, outputPath, optimizedPath] = args;
  const ort = loadRuntime(dir);
  const shape = JSON.parse(shapeJson);
  const batch = parseInt(batchText, 10);
  const Typed = TYPED[dtype];
  if (!Typed) fail('unsupported input dtype ' + dtype);
  const options = { intraOpNumThreads: 2, interOpNumThreads: 1, graphOptimizationLevel: 'all' };
  // Saving the optimised graph shows which fusions ONNX Runtime applied (e.g. to the QDQ pattern).
  if (optimizedPath) options.optimizedModelFilePath = optimizedPath;
  const session = await ort.InferenceSession.create(modelPath, options);
  const raw = fs.readFileSync(inputPath);
  const all = new Typed(raw.buffer, raw.byteOffset, raw.byteLength / Typed.BYTES_PER_ELEMENT);
  const perSample = shape.slice(1).reduce((a, b) => a * b, 1);
  const out = fs.openSync(outputPath, 'w');
  let outputShape = null;
  const started = process.hrtime.bigint();
  for (let first = 0; first < shape[0]; first += batch) {
    const n = Math.min(batch, shape[0] - first);
    const data = all.subarray(first * perSample, (first + n) * perSample);
    const feeds = { [session.inputNames[0]]: new ort.Tensor(dtype, data, [n, ...shape.slice(1)]) };
    const result = await session.run(feeds);
    const y = result[session.outputNames[0]];
    if (y.type !== 'float32') fail('the model output is ' + y.type + ', not float32');
    fs.writeSync(out, Buffer.from(y.data.buffer, y.data.byteOffset, y.data.byteLength));
    outputShape = outputShape ? [outputShape[0] + y.dims[0], ...y.dims.slice(1)] : Array.from(y.dims);
  }
  fs.closeSync(out);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(JSON.stringify({ output_shape: outputShape, seconds, runtime: 'onnxruntime-node',
                                        version: ort.env.versions.node }) + '\n');
}

function probe(dir) {
  const ort = loadRuntime(dir);
  process.stdout.write(JSON.stringify({ runtime: 'onnxruntime-node', version: ort.env.versions.node,
                                        backends: ort.listSupportedBackends().map((b) => b.name),
                                        node: process.versions.node }) + '\n');
}

const argv = process.argv.slice(2);
if (argv[0] === '--probe' && argv.length === 2) probe(argv[1]);
else if (argv.length === 7 || argv.length === 8) run(argv).catch((e) => fail(e.message));
else fail('usage: ort_run.js --probe ORT_DIR | ORT_DIR MODEL INPUTS DTYPE SHAPE BATCH OUTPUTS [OPTIMIZED]');
