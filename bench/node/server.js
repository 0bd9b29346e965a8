// The image-classifier function written the obvious way in Node.js: a measuring stick for the
// C# function (same requests, same preprocessing, same model, same reply), not a product.
// It has no SSRF guard and no retries: it is only ever run against images on 127.0.0.1.
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CloudEvent, HTTP } from 'cloudevents';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';

const here = dirname(fileURLToPath(import.meta.url));
const MODEL_PATH = process.env.MODEL_PATH ?? resolve(here, '../../../shared/models/mobilenetv2-12-int8.onnx');
const LABELS_PATH = process.env.LABELS_PATH ?? join(dirname(MODEL_PATH), 'synset.txt');
const PORT = Number(process.env.PORT ?? 8080);
const TOP_K = Number(process.env.TOP_K ?? 5);
const CE_SOURCE = process.env.CE_SOURCE ?? 'io.kserve.inference.image-classifier';
const CE_TYPE = process.env.CE_TYPE ?? 'io.kserve.inference.response';
const FETCH_TIMEOUT_MS = 1000 * Number(process.env.FETCH_TIMEOUT_SECONDS ?? 15);
const MAX_BYTES = Number(process.env.FETCH_MAX_BYTES ?? 20 * 1024 * 1024);
const MAX_PIXELS = Number(process.env.MAX_IMAGE_PIXELS ?? 40_000_000);
const RESIZE = 256, CROP = 224;
const MEAN = [0.485, 0.456, 0.406], STD = [0.229, 0.224, 0.225];

class Failure extends Error {
  constructor(status, slug, detail) { super(detail); this.status = status; this.slug = slug; }
}

// Labels: "n02124075 Egyptian cat, ..." → synset and the first name, as the C# function reads them.
const labels = readFileSync(LABELS_PATH, 'utf8').split(/\r?\n/).filter((l) => l.trim()).map((line) => {
  const m = /^\s*(n\d{8})\s+(.*)$/.exec(line);
  return { synset: m ? m[1] : '', label: (m ? m[2] : line).split(',')[0].trim() };
});
const modelBytes = readFileSync(MODEL_PATH);
const model = { name: basename(MODEL_PATH, '.onnx'), sha256: createHash('sha256').update(modelBytes).digest('hex') };
let session = null;

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BYTES) throw new Failure(413, 'request-too-large', 'The request body is over the limit.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function fetchImage(url) {
  let parsed;
  try { parsed = new URL(url); } catch { throw new Failure(400, 'url-invalid', 'The url is not an absolute URL.'); }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Failure(400, 'url-refused', 'Only http and https URLs are fetched.');
  let res;
  try {
    res = await fetch(parsed, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch (err) {
    if (err.name === 'TimeoutError') throw new Failure(504, 'upstream-timeout', 'The image took too long to fetch.');
    throw new Failure(502, 'upstream-failed', 'The image could not be fetched.');
  }
  if (res.status >= 500) throw new Failure(502, 'upstream-failed', `The image server answered ${res.status}.`);
  if (!res.ok) throw new Failure(422, 'upstream-refused', `The image server answered ${res.status}.`);
  const bytes = Buffer.from(await res.arrayBuffer());
  if (bytes.length > MAX_BYTES) throw new Failure(422, 'image-too-large', 'The image is over the download limit.');
  return bytes;
}

// Shorter side to 256 (bilinear; sharp shrinks JPEGs on load), centre crop 224, RGB, NCHW float32.
async function toTensor(bytes) {
  try {
    const meta = await sharp(bytes, { limitInputPixels: MAX_PIXELS }).metadata();
    const { width, height } = meta.autoOrient;
    const scale = RESIZE / Math.min(width, height);
    const w = Math.max(CROP, Math.round(width * scale)), h = Math.max(CROP, Math.round(height * scale));
    const { data } = await sharp(bytes, { limitInputPixels: MAX_PIXELS, autoOrient: true })
      .resize(w, h, { fit: 'fill', kernel: 'linear' })
      .extract({ left: (w - CROP) >> 1, top: (h - CROP) >> 1, width: CROP, height: CROP })
      .flatten({ background: '#ffffff' }).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    const plane = CROP * CROP, tensor = new Float32Array(3 * plane);
    for (let i = 0; i < plane; i++) {
      for (let c = 0; c < 3; c++) tensor[c * plane + i] = (data[i * 3 + c] / 255 - MEAN[c]) / STD[c];
    }
    return tensor;
  } catch {
    throw new Failure(422, 'image-unusable', 'The bytes are not a usable image.');
  }
}

async function classify(bytes, topK) {
  const input = new ort.Tensor('float32', await toTensor(bytes), [1, 3, CROP, CROP]);
  const output = await session.run({ [session.inputNames[0]]: input });
  const logits = output[session.outputNames[0]].data;
  const max = logits.reduce((a, b) => Math.max(a, b), -Infinity);
  const exps = Array.from(logits, (v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e, index) => ({ index, ...labels[index], probability: e / sum }))
    .sort((a, b) => b.probability - a.probability).slice(0, topK);
}

// Works out what was asked for: { bytes } or { url }, plus the reply mode.
function readRequest(headers, body) {
  const contentType = (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const isEvent = 'ce-specversion' in headers || contentType.startsWith('application/cloudevents');
  if (!isEvent) {
    if (contentType.startsWith('image/')) return { bytes: body, structured: false };
    if (contentType === 'application/json') return { ...jsonRequest(body.toString('utf8')), structured: false };
    throw new Failure(415, 'unsupported-media-type', 'Send image bytes, JSON or a CloudEvent.');
  }
  if (contentType.startsWith('application/cloudevents-batch')) throw new Failure(415, 'batch-unsupported', 'Batches are not handled by this measuring stick.');
  const structured = contentType.startsWith('application/cloudevents');
  const dataType = (headers['content-type'] ?? '').toLowerCase();
  let event;
  try {
    const payload = structured || !dataType.startsWith('image/') ? body.toString('utf8') : body;
    event = HTTP.toEvent({ headers, body: payload });
    event.validate();
  } catch {
    throw new Failure(400, 'invalid-cloudevent', 'The CloudEvent is malformed.');
  }
  if (event.type === CE_TYPE) return { ack: true };
  if (event.data_base64) return { bytes: Buffer.from(event.data_base64, 'base64'), structured };
  if (Buffer.isBuffer(event.data)) return { bytes: event.data, structured };
  return { ...jsonRequest(event.data), structured };
}

function jsonRequest(data) {
  let value = data;
  try { if (typeof value === 'string') value = JSON.parse(value); } catch { value = null; }
  if (!value || typeof value.url !== 'string') throw new Failure(400, 'url-missing', 'The request names no url.');
  return { url: value.url, topK: Number.isInteger(value.topK) && value.topK > 0 ? value.topK : TOP_K };
}

async function handle(req, res) {
  if (req.method === 'GET' && (req.url === '/readyz' || req.url === '/healthz')) {
    const ok = req.url === '/healthz' || session !== null;
    res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ok' : 'loading');
    return;
  }
  if (req.method !== 'POST' || req.url !== '/') throw new Failure(404, 'not-found', 'Only POST / is served.');
  if (session === null) throw new Failure(503, 'not-ready', 'The model is still loading.');
  const asked = readRequest(req.headers, await readBody(req));
  if (asked.ack) { res.writeHead(202).end(); return; }
  const bytes = asked.bytes ?? await fetchImage(asked.url);
  const predictions = await classify(bytes, asked.topK ?? TOP_K);
  const reply = new CloudEvent({
    id: randomUUID(), source: CE_SOURCE, type: CE_TYPE, subject: asked.url, datacontenttype: 'application/json',
    data: { url: asked.url ?? null, model, predictions },
  });
  const message = asked.structured ? HTTP.structured(reply) : HTTP.binary(reply);
  res.writeHead(200, message.headers).end(message.body);
}

const server = createServer((req, res) => {
  handle(req, res).catch((err) => {
    const failure = err instanceof Failure ? err : new Failure(500, 'internal', 'Something went wrong.');
    if (!(err instanceof Failure)) console.error(err);
    const headers = { 'content-type': 'application/problem+json' };
    if (failure.status === 503) headers['retry-after'] = '1';
    res.writeHead(failure.status, headers).end(JSON.stringify({
      type: `urn:image-classifier:${failure.slug}`, title: failure.slug, status: failure.status, detail: failure.message,
    }));
  });
});
server.listen(PORT, () => console.log(`listening on :${PORT}`));
// Ready only once loaded and warmed by one run, as the C# function is.
const loaded = await ort.InferenceSession.create(MODEL_PATH);
await loaded.run({ [loaded.inputNames[0]]: new ort.Tensor('float32', new Float32Array(3 * CROP * CROP), [1, 3, CROP, CROP]) });
session = loaded;
console.log(`model ${model.name} loaded and warmed`);
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
