// The try page: sends the function a binary-mode CloudEvent, as any client would, and shows its
// reply. Every value from a reply is set as text (textContent), never parsed as HTML.
'use strict';

(() => {
  const EVENT_TYPE = 'dev.knative.samples.image.classify';
  const EVENT_SOURCE = '/ui';
  const FUNCTION_URL = './';

  const byId = (id) => document.getElementById(id);
  const ui = {
    drop: byId('drop'),
    file: byId('file'),
    urlForm: byId('url-form'),
    url: byId('url'),
    urlSubmit: byId('url-submit'),
    status: byId('status'),
    result: byId('result'),
    preview: byId('preview'),
    previewCaption: byId('preview-caption'),
    predictions: byId('predictions'),
    modelName: byId('model-name'),
    modelVersionRow: byId('model-version-row'),
    modelVersion: byId('model-version'),
    modelSha: byId('model-sha'),
    elapsed: byId('elapsed'),
    problem: byId('problem'),
    problemStatus: byId('problem-status'),
    problemTitle: byId('problem-title'),
    problemDetail: byId('problem-detail'),
    problemType: byId('problem-type'),
    raw: byId('raw'),
    rawAttributesHeading: byId('raw-attributes-heading'),
    rawAttributes: byId('raw-attributes'),
    rawData: byId('raw-data'),
  };

  const percent = new Intl.NumberFormat(undefined, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  let previewUrl = null;
  let busy = false;

  // crypto.randomUUID exists only in secure contexts; a Knative URL is often plain http.
  function newEventId() {
    if (typeof crypto.randomUUID === 'function') {
      return crypto.randomUUID();
    }
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  // Nothing is disabled while a request runs: a disabled control would drop the keyboard focus.
  function setBusy(value) {
    busy = value;
    ui.urlSubmit.setAttribute('aria-disabled', String(value));
    ui.result.setAttribute('aria-busy', String(value));
  }

  function showPreviewOfFile(file) {
    if (previewUrl) {
      URL.revokeObjectURL(previewUrl);
      previewUrl = null;
    }
    if (file.type.startsWith('image/')) {
      previewUrl = URL.createObjectURL(file);
      ui.preview.src = previewUrl;
      ui.preview.alt = `The chosen image, ${file.name}`;
      ui.preview.hidden = false;
    } else {
      ui.preview.removeAttribute('src');
      ui.preview.hidden = true;
    }
    ui.previewCaption.textContent = `${file.name} (${file.type || 'unknown type'}, ${formatBytes(file.size)})`;
  }

  function showPreviewOfUrl(url) {
    // The page's policy lets it load images from its own origin only, so it shows the URL,
    // not the image: the function fetched it, the browser does not.
    ui.preview.removeAttribute('src');
    ui.preview.hidden = true;
    ui.previewCaption.textContent = `Fetched by the function from ${url}`;
  }

  function formatBytes(size) {
    if (size < 1024) return `${size} B`;
    if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KiB`;
    return `${(size / (1024 * 1024)).toFixed(1)} MiB`;
  }

  async function classifyFile(file) {
    if (busy) return;
    await classify(file, file.type || 'application/octet-stream', () => showPreviewOfFile(file));
  }

  async function classifyUrl(url) {
    if (busy) return;
    await classify(JSON.stringify({ url }), 'application/json', () => showPreviewOfUrl(url));
  }

  async function classify(body, contentType, showPreview) {
    setBusy(true);
    ui.status.textContent = 'Classifying…';
    const headers = {
      'ce-specversion': '1.0',
      'ce-id': newEventId(),
      'ce-source': EVENT_SOURCE,
      'ce-type': EVENT_TYPE,
      'Content-Type': contentType,
    };
    try {
      const started = performance.now();
      let response;
      let text;
      try {
        response = await fetch(FUNCTION_URL, { method: 'POST', headers, body, cache: 'no-store' });
        text = await response.text();
      } catch (error) {
        showProblem({ title: 'The function could not be reached', detail: String(error.message || error) }, null);
        return;
      }
      const elapsed = performance.now() - started;
      showPreview();
      showRaw(response, text);
      const json = parseJson(text);
      if (response.ok && json && Array.isArray(json.predictions)) {
        showResult(json, elapsed);
      } else if (response.ok) {
        showProblem({ title: 'The reply has no predictions', detail: `HTTP ${response.status}` }, response);
      } else {
        showProblem(json && typeof json === 'object' ? json : { title: response.statusText, detail: text }, response);
      }
    } finally {
      setBusy(false);
    }
  }

  function parseJson(text) {
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  }

  function showResult(data, elapsed) {
    ui.problem.hidden = true;
    const predictions = data.predictions;
    const items = predictions.map((prediction) => {
      const label = String(prediction.label || prediction.synset || `class ${prediction.index}`);
      const probability = Math.min(1, Math.max(0, Number(prediction.probability) || 0));
      const item = document.createElement('li');
      const name = document.createElement('span');
      name.className = 'prediction-label';
      name.textContent = label;
      const value = document.createElement('span');
      value.className = 'prediction-value';
      value.textContent = percent.format(probability);
      const bar = document.createElement('div');
      bar.className = 'bar';
      bar.setAttribute('aria-hidden', 'true');
      const fill = document.createElement('div');
      fill.className = 'bar-fill';
      // CSSOM, not a style attribute: allowed by a policy without 'unsafe-inline'.
      fill.style.width = `${(probability * 100).toFixed(2)}%`;
      bar.append(fill);
      item.append(name, value, bar);
      return item;
    });
    ui.predictions.replaceChildren(...items);

    const model = data.model || {};
    ui.modelName.textContent = String(model.name || 'unknown');
    ui.modelVersionRow.hidden = model.version === undefined || model.version === null;
    ui.modelVersion.textContent = model.version === undefined || model.version === null ? '' : String(model.version);
    const sha = String(model.sha256 || '');
    ui.modelSha.textContent = sha.slice(0, 12);
    ui.modelSha.title = sha;
    ui.elapsed.textContent = `${Math.round(elapsed)} ms`;
    ui.result.hidden = false;

    const top = predictions[0];
    ui.status.textContent = top
      ? `Top prediction: ${items[0].firstChild.textContent}, ${percent.format(Math.min(1, Math.max(0, Number(top.probability) || 0)))}`
      : 'The function returned no predictions.';
  }

  function showProblem(problem, response) {
    ui.result.hidden = true;
    const status = response ? response.status : null;
    const title = String(problem.title || (status ? `HTTP ${status}` : 'Failed'));
    ui.problemStatus.textContent = status ? `HTTP ${status}` : 'No reply';
    ui.problemTitle.textContent = title;
    ui.problemDetail.textContent = problem.detail ? String(problem.detail) : '';
    ui.problemType.textContent = problem.type ? String(problem.type) : '';
    ui.problem.hidden = false;
    if (!response) {
      ui.raw.hidden = true;
    }
    ui.status.textContent = problem.detail ? `${title}. ${problem.detail}` : title;
  }

  function showRaw(response, text) {
    const lines = [`HTTP ${response.status} ${response.statusText}`.trim()];
    const attributes = [];
    response.headers.forEach((value, name) => {
      if (name.toLowerCase().startsWith('ce-')) {
        attributes.push(`${name.slice(3)}: ${decodeHeader(value)}`);
      }
    });
    attributes.sort();
    const contentType = response.headers.get('content-type');
    if (attributes.length > 0 && contentType) {
      attributes.push(`datacontenttype: ${contentType}`);
    } else if (contentType) {
      lines.push(`content-type: ${contentType}`);
    }
    ui.rawAttributesHeading.textContent = attributes.length > 0 ? 'CloudEvent attributes' : 'Status and headers (not an event)';
    ui.rawAttributes.textContent = lines.concat(attributes).join('\n');
    const json = parseJson(text);
    ui.rawData.textContent = json === null ? text : JSON.stringify(json, null, 2);
    ui.raw.hidden = false;
  }

  // Binary-mode attribute values are percent-encoded where needed (CloudEvents HTTP binding, 3.1.3.2).
  function decodeHeader(value) {
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }

  ui.file.addEventListener('change', () => {
    const file = ui.file.files && ui.file.files[0];
    if (file) {
      classifyFile(file).finally(() => { ui.file.value = ''; });
    }
  });

  ui.urlForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const url = ui.url.value.trim();
    if (!url) {
      ui.status.textContent = 'Enter an image URL first.';
      ui.url.focus();
      return;
    }
    classifyUrl(url);
  });

  // Dropping anywhere on the page works; the zone shows where.
  let dragDepth = 0;
  window.addEventListener('dragenter', (event) => {
    event.preventDefault();
    dragDepth += 1;
    ui.drop.classList.add('dragging');
  });
  window.addEventListener('dragleave', () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (dragDepth === 0) ui.drop.classList.remove('dragging');
  });
  window.addEventListener('dragover', (event) => event.preventDefault());
  window.addEventListener('drop', (event) => {
    event.preventDefault();
    dragDepth = 0;
    ui.drop.classList.remove('dragging');
    const transfer = event.dataTransfer;
    if (!transfer) return;
    if (transfer.files.length > 0) {
      classifyFile(transfer.files[0]);
      return;
    }
    const dropped = (transfer.getData('text/uri-list') || transfer.getData('text/plain')).split('\n')[0].trim();
    if (dropped) {
      ui.url.value = dropped;
      classifyUrl(dropped);
    }
  });

  // A pasted image is classified; pasted text goes where the caret is, as usual.
  document.addEventListener('paste', (event) => {
    const files = event.clipboardData ? event.clipboardData.files : null;
    if (files && files.length > 0) {
      event.preventDefault();
      classifyFile(files[0]);
    }
  });
})();
