// The page of `psp serve`: pick a model, draw or upload an input, translate it, mix styles, interpolate.
// Plain browser JavaScript, no build step and no external resources (the page is served from the jar).
'use strict';

(() => {
  const SIZE = 256; // the encoder's input size: every drawn input is sent as a 256x256 PNG

  /**
   * The 19 CelebAMask-HQ classes with the ids the official segmentation task reads, and the colours of
   * the official utils/common.get_colors() (dev.psp.synthetic.FaceLabels).
   */
  const LABELS = [
    ['background', 'background', 0x000000], ['skin', 'skin', 0xcc0000], ['nose', 'nose', 0x4c9900],
    ['eye_g', 'eye glasses', 0xcccc00], ['l_eye', 'left eye', 0x3333ff], ['r_eye', 'right eye', 0xcc00cc],
    ['l_brow', 'left brow', 0x00ffff], ['r_brow', 'right brow', 0xffcccc], ['l_ear', 'left ear', 0x663300],
    ['r_ear', 'right ear', 0xff0000], ['mouth', 'mouth', 0x66cc00], ['u_lip', 'upper lip', 0xffff00],
    ['l_lip', 'lower lip', 0x000099], ['hair', 'hair', 0x0000cc], ['hat', 'hat', 0xff3399],
    ['ear_r', 'earring', 0x00cccc], ['neck_l', 'necklace', 0x003300], ['neck', 'neck', 0xff9933],
    ['cloth', 'cloth', 0x00cc00],
  ].map(([key, name, rgb], id) => ({ id, key, name, r: rgb >> 16, g: (rgb >> 8) & 255, b: rgb & 255 }));

  const TASKS = {
    INVERSION: { kind: 'photo', title: 'Inversion', hint: 'Upload a face photo: it is encoded into W+ and decoded.' },
    FRONTALIZATION: {
      kind: 'photo', title: 'Frontalization', hint: 'Upload a face photo: the output faces the camera.',
    },
    SKETCH_TO_FACE: {
      kind: 'sketch', title: 'Sketch to face', hint: 'Draw a face with black lines on white, or upload a sketch.',
    },
    SEGMENTATION_TO_FACE: {
      kind: 'seg',
      title: 'Segmentation to face',
      hint: 'Paint face regions with the 19 CelebAMask-HQ labels, or upload a label map (ids 0–18, or the official'
        + ' colours).',
    },
    SUPER_RESOLUTION: { kind: 'photo', title: 'Super-resolution', hint: 'Upload a low-resolution face photo.' },
    INPAINTING: { kind: 'photo', title: 'Inpainting', hint: 'Upload a face photo with the region to fill masked out.' },
    TOONIFY: { kind: 'photo', title: 'Toonify', hint: 'Upload a face photo: the output is its toon.' },
  };

  const $ = (id) => document.getElementById(id);
  const el = {};
  for (const id of ['model', 'model-info', 'auth', 'auth-message', 'api-key', 'error', 'error-text', 'error-close',
    'input-hint', 'draw-tools', 'tool-pen', 'tool-eraser', 'pen-width', 'pen-width-value', 'undo', 'clear', 'example',
    'palette', 'canvas', 'canvas-hint', 'upload', 'upload-label', 'align-row', 'align', 'translate', 'translate-meta',
    'result', 'result-empty', 'result-meta', 'result-download', 'seed', 'seed-random', 'layers', 'alpha',
    'alpha-value', 'samples', 'mix', 'variants', 'mix-meta', 'interp-card', 'upload-a', 'upload-b', 'preview-a',
    'preview-b', 'steps', 'interpolate', 'frame', 'frame-empty', 'frame-slider', 'frame-label']) {
    el[id] = $(id);
  }
  const ctx = el.canvas.getContext('2d', { willReadFrequently: true });

  // ---------------------------------------------------------------- state

  let models = [];
  let current = null; // the selected model's description
  let shownTask; // the task the input UI is laid out for
  let apiKey = sessionStorage.getItem('psp.apiKey') || '';
  let busy = 0;
  let frameUrls = [];

  /** Per input kind: what is on the canvas, its undo stack and the tool. Switching models keeps each. */
  const inputs = {
    sketch: { pixels: null, undo: [], eraser: false, width: 4, touched: false },
    seg: { ids: new Uint8Array(SIZE * SIZE), undo: [], eraser: false, width: 14, label: 1, touched: false },
    photo: { original: null, aligned: null, name: '' },
  };
  let kind = 'sketch';

  // ---------------------------------------------------------------- HTTP

  class ApiError extends Error {
    constructor(message, status) {
      super(message);
      this.status = status;
    }
  }

  /** fetch with the API key; a problem+json response becomes an ApiError carrying its detail. */
  async function api(path, options = {}) {
    const headers = new Headers(options.headers || {});
    if (apiKey) headers.set('X-API-Key', apiKey);
    let response;
    try {
      response = await fetch(path, { ...options, headers });
    } catch (e) {
      throw new ApiError('The server did not answer (' + e.message + '). Is psp serve still running?', 0);
    }
    if (response.ok) return response;
    let message = response.status + ' ' + response.statusText;
    const type = response.headers.get('Content-Type') || '';
    try {
      if (type.includes('json')) {
        const problem = await response.json();
        message = problem.detail || problem.title || problem.message || message;
      } else {
        const text = (await response.text()).trim();
        if (text && text.length < 500) message = text;
      }
    } catch (ignored) {
      // keep the status line
    }
    if (response.status === 401) {
      askForKey(apiKey ? 'The server refused this API key: ' + message
        : 'This server needs an API key (' + message + ').');
    }
    throw new ApiError(message, response.status);
  }

  function askForKey(message) {
    el['auth-message'].textContent = message;
    el.auth.hidden = false;
    el['api-key'].focus();
  }

  el.auth.addEventListener('submit', (event) => {
    event.preventDefault();
    apiKey = el['api-key'].value.trim();
    sessionStorage.setItem('psp.apiKey', apiKey);
    el.auth.hidden = true;
    hideError();
    if (!models.length) loadModels();
  });

  function showError(e) {
    el['error-text'].textContent = e instanceof Error ? e.message : String(e);
    el.error.hidden = false;
  }

  function hideError() {
    el.error.hidden = true;
  }

  el['error-close'].addEventListener('click', hideError);

  /** Runs an action with the buttons disabled, and reports its failure in the error banner. */
  async function run(action) {
    busy++;
    updateButtons();
    document.body.setAttribute('aria-busy', 'true');
    try {
      hideError();
      return await action();
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) showError(e); // the key form says it
      return undefined;
    } finally {
      busy--;
      if (!busy) document.body.removeAttribute('aria-busy');
      updateButtons();
    }
  }

  // ---------------------------------------------------------------- models

  /** A field of a model description under any of its usual spellings. */
  function field(object, ...names) {
    for (const name of names) {
      if (object && object[name] !== undefined && object[name] !== null) return object[name];
    }
    return undefined;
  }

  function outputSize(model) {
    const size = field(model, 'outputSize', 'output_size', 'size', 'resolution', 'outputResolution');
    return typeof size === 'object' ? field(size, 'width', 'size') : size;
  }

  function describe(model) {
    const task = TASKS[taskOf(model)];
    const parts = [task ? task.title : (model.task || 'model')];
    const state = modelState(model);
    if (state === 'LOADING') return parts[0] + ' · loading on the server…';
    if (state === 'FAILED') {
      const why = field(model, 'error', 'failure', 'detail', 'message');
      return parts[0] + ' · failed to load' + (why ? ': ' + why : '');
    }
    const channels = field(model, 'inputChannels', 'input_channels', 'inputNc', 'input_nc', 'channels');
    if (channels !== undefined) parts.push(channels + ' input channel' + (channels === 1 ? '' : 's'));
    const size = outputSize(model);
    if (size !== undefined) parts.push(size + ' px output');
    const styles = field(model, 'nStyles', 'n_styles', 'styles');
    if (styles !== undefined) parts.push(styles + ' styles');
    const engine = field(model, 'engine');
    const device = field(model, 'device');
    if (engine) parts.push(engine + (device ? ' on ' + device : ''));
    const bundled = field(model, 'bundled', 'demo', 'isBundled');
    if (bundled !== undefined) parts.push(bundled ? 'bundled demo model' : 'official checkpoint');
    return parts.join(' · ');
  }

  /** Name fragments of each task, to lay the page out while a model is still loading (it has no task yet). */
  const TASK_HINTS = [['sketch', 'SKETCH_TO_FACE'], ['seg', 'SEGMENTATION_TO_FACE'], ['super', 'SUPER_RESOLUTION'],
    ['frontal', 'FRONTALIZATION'], ['toon', 'TOONIFY'], ['inpaint', 'INPAINTING'], ['encode', 'INVERSION'],
    ['inversion', 'INVERSION']];

  /** The model's task: as the server says, or guessed from its names while it loads. */
  function taskOf(model) {
    if (!model) return undefined;
    if (model.task) return String(model.task).toUpperCase();
    const names = [model.name, ...(Array.isArray(model.aliases) ? model.aliases : [])].join(' ').toLowerCase();
    const hit = TASK_HINTS.find(([fragment]) => names.includes(fragment));
    return hit ? hit[1] : undefined;
  }

  /** LOADING, READY or FAILED; a server that does not say is taken as ready. */
  function modelState(model) {
    const state = field(model, 'state', 'status');
    return state === undefined ? 'READY' : String(state).toUpperCase();
  }

  function isReady(model) {
    return !!model && modelState(model) === 'READY';
  }

  async function fetchModels() {
    const response = await api('/v1/models');
    const body = await response.json();
    return Array.isArray(body) ? body : (body.models || []);
  }

  function optionText(model) {
    const task = TASKS[taskOf(model)];
    const state = modelState(model);
    return model.name + ' — ' + (task ? task.title : (model.task || 'model'))
      + (state === 'LOADING' ? ' (loading…)' : state === 'FAILED' ? ' (failed)' : '');
  }

  async function loadModels() {
    el.model.disabled = true;
    await run(async () => {
      models = await fetchModels();
      el.model.replaceChildren();
      for (const model of models) el.model.append(new Option(optionText(model), model.name));
      if (!models.length) {
        el.model.append(new Option('no models', ''));
        throw new Error('The server serves no models: start it with --model NAME.');
      }
      const wanted = new URLSearchParams(location.search).get('model');
      if (wanted && models.some((m) => m.name === wanted)) el.model.value = wanted;
      el.model.disabled = false;
      selectModel();
    });
    document.body.dataset.ready = 'true';
    watchLoading();
  }

  /** While models load on the server, asks again every second and enables them as they become ready. */
  function watchLoading() {
    const loading = models.some((m) => modelState(m) === 'LOADING');
    document.body.dataset.modelsReady = String(!loading);
    if (!loading) return;
    setTimeout(async () => {
      try {
        const fresh = await fetchModels();
        models = fresh;
        for (const option of el.model.options) {
          const model = models.find((m) => m.name === option.value);
          if (model) option.textContent = optionText(model);
        }
        const name = current && current.name;
        current = models.find((m) => m.name === name) || current;
        if (current && taskOf(current) !== shownTask) selectModel(); // the guess was wrong
        else if (current) el['model-info'].textContent = describe(current);
        updateButtons();
      } catch (e) {
        showError(e);
      }
      watchLoading();
    }, 1000);
  }

  el.model.addEventListener('change', () => {
    selectModel();
    const url = new URL(location.href);
    url.searchParams.set('model', el.model.value);
    history.replaceState(null, '', url);
  });

  function selectModel() {
    current = models.find((m) => m.name === el.model.value) || null;
    if (!current) return;
    el['model-info'].textContent = describe(current);
    shownTask = taskOf(current);
    const task = TASKS[shownTask] || { kind: 'photo', title: current.task, hint: 'Upload an image.' };
    setKind(task.kind);
    el['input-hint'].textContent = task.hint;
    el['interp-card'].hidden = shownTask !== 'INVERSION';
    document.body.dataset.model = current.name; // for scripts and tests: which model the page is laid out for
    clearOutputs();
  }

  function clearOutputs() {
    el.result.hidden = true;
    el.result.removeAttribute('src');
    el['result-empty'].hidden = false;
    el['result-meta'].textContent = '';
    el['result-download'].hidden = true;
    el['translate-meta'].textContent = '';
    el.variants.replaceChildren();
    el['mix-meta'].textContent = '';
  }

  // ---------------------------------------------------------------- input kinds

  function setKind(next) {
    saveSketch();
    kind = next;
    el['draw-tools'].hidden = kind === 'photo';
    el.palette.hidden = kind !== 'seg';
    el['align-row'].hidden = kind !== 'photo';
    el.example.hidden = kind === 'photo';
    el['upload-label'].textContent = {
      sketch: 'Upload a sketch', seg: 'Upload a label map', photo: 'Upload a photo',
    }[kind];
    el.canvas.classList.toggle('drawable', kind !== 'photo');
    el.canvas.setAttribute('aria-label', {
      sketch: 'Sketch canvas, 256 by 256 pixels: draw with the mouse, a pen or a finger',
      seg: 'Segmentation canvas, 256 by 256 pixels: paint the selected label',
      photo: 'The photo that will be sent',
    }[kind]);
    const state = inputs[kind];
    if (kind !== 'photo') {
      el['tool-pen'].setAttribute('aria-pressed', String(!state.eraser));
      el['tool-eraser'].setAttribute('aria-pressed', String(state.eraser));
      el['pen-width'].value = state.width;
      el['pen-width-value'].textContent = state.width;
    }
    el.upload.value = '';
    render();
    updateButtons();
  }

  /** Draws the current input kind's state onto the visible canvas. */
  function render() {
    ctx.imageSmoothingEnabled = true;
    el['canvas-hint'].hidden = true;
    if (kind === 'sketch') {
      const state = inputs.sketch;
      if (state.pixels) ctx.putImageData(state.pixels, 0, 0);
      else whiteCanvas();
    } else if (kind === 'seg') {
      renderIds();
    } else {
      const photo = currentPhoto();
      ctx.fillStyle = '#eef0f4';
      ctx.fillRect(0, 0, SIZE, SIZE);
      if (photo) {
        createImageBitmap(photo).then((bitmap) => {
          if (kind !== 'photo' || currentPhoto() !== photo) return;
          ctx.drawImage(bitmap, 0, 0, SIZE, SIZE); // stretched to 256x256, as the official Resize does
        }).catch((e) => showError('This file is not an image the browser can read: ' + e.message));
      } else {
        el['canvas-hint'].hidden = false;
      }
    }
  }

  function whiteCanvas() {
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, SIZE, SIZE);
  }

  /** Keeps the sketch canvas's pixels when another kind takes the canvas over. */
  function saveSketch() {
    if (kind === 'sketch') inputs.sketch.pixels = ctx.getImageData(0, 0, SIZE, SIZE);
  }

  function renderIds() {
    const ids = inputs.seg.ids;
    const image = ctx.createImageData(SIZE, SIZE);
    const d = image.data;
    for (let i = 0; i < ids.length; i++) {
      const label = LABELS[ids[i]];
      d[4 * i] = label.r;
      d[4 * i + 1] = label.g;
      d[4 * i + 2] = label.b;
      d[4 * i + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
  }

  // ---------------------------------------------------------------- palette

  function buildPalette() {
    for (const label of LABELS) {
      const button = document.createElement('button');
      button.type = 'button';
      button.id = 'label-' + label.id;
      button.className = 'swatch';
      button.dataset.label = label.id;
      button.setAttribute('role', 'radio');
      button.title = label.id + ' ' + label.key;
      const chip = document.createElement('span');
      chip.className = 'chip';
      chip.style.background = `rgb(${label.r},${label.g},${label.b})`;
      const text = document.createElement('span');
      text.textContent = label.name;
      const id = document.createElement('span');
      id.className = 'id';
      id.textContent = label.id;
      button.append(chip, text, id);
      button.addEventListener('click', () => selectLabel(label.id));
      button.addEventListener('keydown', (event) => {
        const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
        if (!step) return;
        event.preventDefault();
        const next = (label.id + step + LABELS.length) % LABELS.length;
        selectLabel(next);
        $('label-' + next).focus();
      });
      el.palette.append(button);
    }
    selectLabel(inputs.seg.label);
  }

  function selectLabel(id) {
    inputs.seg.label = id;
    inputs.seg.eraser = false;
    if (kind === 'seg') {
      el['tool-pen'].setAttribute('aria-pressed', 'true');
      el['tool-eraser'].setAttribute('aria-pressed', 'false');
    }
    for (const button of el.palette.children) {
      const selected = Number(button.dataset.label) === id;
      button.setAttribute('aria-checked', String(selected));
      button.tabIndex = selected ? 0 : -1;
    }
  }

  // ---------------------------------------------------------------- drawing

  function snapshot() {
    return kind === 'sketch' ? ctx.getImageData(0, 0, SIZE, SIZE) : inputs.seg.ids.slice();
  }

  function pushUndo() {
    const state = inputs[kind];
    state.undo.push(snapshot());
    if (state.undo.length > 50) state.undo.shift();
    updateButtons();
  }

  function undo() {
    if (kind === 'photo') return;
    const state = inputs[kind];
    const previous = state.undo.pop();
    if (!previous) return;
    if (kind === 'sketch') ctx.putImageData(previous, 0, 0);
    else {
      state.ids = previous;
      renderIds();
    }
    updateButtons();
  }

  function clearDrawing() {
    if (kind === 'photo') return;
    pushUndo();
    if (kind === 'sketch') whiteCanvas();
    else {
      inputs.seg.ids.fill(0);
      renderIds();
    }
    inputs[kind].touched = true;
  }

  function canvasPoint(event) {
    const rect = el.canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - rect.left) / rect.width) * SIZE,
      y: ((event.clientY - rect.top) / rect.height) * SIZE,
    };
  }

  /** Paints a straight segment of a disc brush into the label map: no blending, every pixel gets one id. */
  function paintIds(a, b, radius, label) {
    const ids = inputs.seg.ids;
    const length = Math.hypot(b.x - a.x, b.y - a.y);
    const steps = Math.max(1, Math.ceil(length / Math.max(1, radius / 2)));
    const r2 = radius * radius;
    for (let s = 0; s <= steps; s++) {
      const cx = a.x + ((b.x - a.x) * s) / steps;
      const cy = a.y + ((b.y - a.y) * s) / steps;
      const x0 = Math.max(0, Math.floor(cx - radius));
      const x1 = Math.min(SIZE - 1, Math.ceil(cx + radius));
      const y0 = Math.max(0, Math.floor(cy - radius));
      const y1 = Math.min(SIZE - 1, Math.ceil(cy + radius));
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          const dx = x + 0.5 - cx;
          const dy = y + 0.5 - cy;
          if (dx * dx + dy * dy <= r2) ids[y * SIZE + x] = label;
        }
      }
    }
  }

  function strokeSketch(a, b, width, eraser) {
    ctx.strokeStyle = eraser ? '#fff' : '#000';
    ctx.fillStyle = ctx.strokeStyle;
    ctx.lineWidth = width;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    if (a.x === b.x && a.y === b.y) {
      ctx.beginPath();
      ctx.arc(a.x, a.y, width / 2, 0, Math.PI * 2);
      ctx.fill();
    } else {
      ctx.beginPath();
      ctx.moveTo(a.x, a.y);
      ctx.lineTo(b.x, b.y);
      ctx.stroke();
    }
  }

  function drawSegment(a, b) {
    const state = inputs[kind];
    if (kind === 'sketch') {
      strokeSketch(a, b, state.width, state.eraser);
    } else {
      paintIds(a, b, Math.max(0.75, state.width / 2), state.eraser ? 0 : state.label);
      renderIds();
    }
  }

  let last = null;
  el.canvas.addEventListener('pointerdown', (event) => {
    if (kind === 'photo' || event.button !== 0) return;
    event.preventDefault();
    el.canvas.setPointerCapture(event.pointerId);
    pushUndo();
    inputs[kind].touched = true;
    last = canvasPoint(event);
    drawSegment(last, last);
  });
  el.canvas.addEventListener('pointermove', (event) => {
    if (!last) return;
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
    for (const e of events.length ? events : [event]) {
      const point = canvasPoint(e);
      drawSegment(last, point);
      last = point;
    }
  });
  const endStroke = () => {
    last = null;
    updateButtons();
  };
  el.canvas.addEventListener('pointerup', endStroke);
  el.canvas.addEventListener('pointercancel', endStroke);

  function setTool(eraser) {
    inputs[kind].eraser = eraser;
    el['tool-pen'].setAttribute('aria-pressed', String(!eraser));
    el['tool-eraser'].setAttribute('aria-pressed', String(eraser));
  }

  el['tool-pen'].addEventListener('click', () => setTool(false));
  el['tool-eraser'].addEventListener('click', () => setTool(true));
  el['pen-width'].addEventListener('input', () => {
    inputs[kind].width = Number(el['pen-width'].value);
    el['pen-width-value'].textContent = el['pen-width'].value;
  });
  el.undo.addEventListener('click', undo);
  el.clear.addEventListener('click', clearDrawing);
  el.example.addEventListener('click', () => {
    pushUndo();
    if (kind === 'sketch') exampleSketch();
    else exampleLabels();
    inputs[kind].touched = true;
  });
  document.addEventListener('keydown', (event) => {
    const target = event.target;
    if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement) return;
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'z') {
      event.preventDefault();
      undo();
    }
  });

  /** A simple line-drawn face, for a first try. */
  function exampleSketch() {
    whiteCanvas();
    ctx.strokeStyle = '#000';
    ctx.lineWidth = 2;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    const path = (draw) => {
      ctx.beginPath();
      draw();
      ctx.stroke();
    };
    path(() => ctx.ellipse(128, 118, 58, 74, 0, 0, Math.PI * 2)); // head
    path(() => { // hair
      ctx.moveTo(70, 120);
      ctx.bezierCurveTo(60, 30, 196, 30, 186, 120);
      ctx.moveTo(72, 96);
      ctx.bezierCurveTo(100, 70, 150, 60, 184, 92);
    });
    for (const x of [104, 152]) {
      path(() => ctx.ellipse(x, 118, 11, 5, 0, 0, Math.PI * 2)); // eyes
      path(() => { // brows
        ctx.moveTo(x - 15, 102);
        ctx.quadraticCurveTo(x, 94, x + 15, 102);
      });
    }
    path(() => { // nose
      ctx.moveTo(128, 124);
      ctx.lineTo(120, 152);
      ctx.quadraticCurveTo(128, 158, 136, 152);
    });
    path(() => { // mouth
      ctx.moveTo(110, 172);
      ctx.quadraticCurveTo(128, 182, 146, 172);
    });
    path(() => { // ears
      ctx.ellipse(70, 124, 7, 14, 0, Math.PI * 0.5, Math.PI * 1.5);
      ctx.moveTo(186, 110);
      ctx.ellipse(186, 124, 7, 14, 0, -Math.PI * 0.5, Math.PI * 0.5);
    });
    path(() => { // neck and shoulders
      ctx.moveTo(108, 186);
      ctx.lineTo(106, 212);
      ctx.quadraticCurveTo(60, 220, 30, 256);
      ctx.moveTo(148, 186);
      ctx.lineTo(150, 212);
      ctx.quadraticCurveTo(196, 220, 226, 256);
    });
  }

  /** A simple face label map, for a first try. */
  function exampleLabels() {
    const ids = inputs.seg.ids;
    ids.fill(0);
    const ellipse = (cx, cy, rx, ry, label, where = () => true) => {
      for (let y = 0; y < SIZE; y++) {
        for (let x = 0; x < SIZE; x++) {
          const dx = (x + 0.5 - cx) / rx;
          const dy = (y + 0.5 - cy) / ry;
          if (dx * dx + dy * dy <= 1 && where(x, y)) ids[y * SIZE + x] = label;
        }
      }
    };
    const rect = (x0, y0, x1, y1, label) => {
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) ids[y * SIZE + x] = label;
    };
    ellipse(128, 290, 120, 80, 18); // cloth
    rect(106, 170, 150, 222, 17); // neck
    ellipse(128, 112, 70, 84, 13); // hair
    ellipse(70, 126, 9, 16, 8); // ears
    ellipse(186, 126, 9, 16, 9);
    ellipse(128, 124, 56, 70, 1, (x, y) => y > 76 || Math.abs(x - 128) > 60); // skin under the fringe
    ellipse(106, 104, 14, 4, 6); // brows
    ellipse(150, 104, 14, 4, 7);
    ellipse(106, 118, 10, 5, 4); // eyes
    ellipse(150, 118, 10, 5, 5);
    ellipse(128, 140, 8, 16, 2); // nose
    ellipse(128, 166, 18, 4, 11); // lips and mouth
    ellipse(128, 172, 16, 4, 12);
    ellipse(128, 169, 12, 2, 10);
    renderIds();
  }

  // ---------------------------------------------------------------- uploads

  function loadImage(blob) {
    return createImageBitmap(blob).catch(() => {
      throw new Error('This file is not an image the browser can read.');
    });
  }

  el.upload.addEventListener('change', () => {
    const file = el.upload.files[0];
    if (!file) return;
    run(async () => {
      if (kind === 'photo') {
        inputs.photo.original = await sendable(file);
        inputs.photo.aligned = null;
        inputs.photo.name = file.name;
        render();
        updateButtons();
        if (el.align.checked) {
          try {
            await alignPhoto();
          } finally {
            render();
          }
        }
        return;
      }
      const bitmap = await loadImage(file);
      pushUndo();
      inputs[kind].touched = true;
      if (kind === 'sketch') {
        whiteCanvas();
        ctx.drawImage(bitmap, 0, 0, SIZE, SIZE);
        const image = ctx.getImageData(0, 0, SIZE, SIZE);
        const d = image.data;
        for (let i = 0; i < d.length; i += 4) { // shown as the server sees it: Pillow's convert('L')
          const l = (d[i] * 19595 + d[i + 1] * 38470 + d[i + 2] * 7471 + 0x8000) >> 16;
          d[i] = d[i + 1] = d[i + 2] = l;
        }
        ctx.putImageData(image, 0, 0);
      } else {
        inputs.seg.ids = labelsFromImage(bitmap);
        renderIds();
      }
    }).finally(() => {
      el.upload.value = '';
    });
  });

  /**
   * The label ids of an uploaded map, sampled (nearest neighbour) to 256x256: a gray map with values 0..18
   * is read as ids, anything else by the nearest palette colour.
   */
  function labelsFromImage(bitmap) {
    const scratch = document.createElement('canvas');
    scratch.width = SIZE;
    scratch.height = SIZE;
    const c = scratch.getContext('2d', { willReadFrequently: true });
    c.imageSmoothingEnabled = false;
    c.drawImage(bitmap, 0, 0, SIZE, SIZE);
    const d = c.getImageData(0, 0, SIZE, SIZE).data;
    const ids = new Uint8Array(SIZE * SIZE);
    let grayIds = true;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i] !== d[i + 1] || d[i] !== d[i + 2] || d[i] >= LABELS.length) {
        grayIds = false;
        break;
      }
    }
    for (let p = 0; p < ids.length; p++) {
      const r = d[4 * p];
      const g = d[4 * p + 1];
      const b = d[4 * p + 2];
      if (grayIds) {
        ids[p] = r;
        continue;
      }
      let best = 0;
      let bestDistance = Infinity;
      for (const label of LABELS) {
        const distance = (r - label.r) ** 2 + (g - label.g) ** 2 + (b - label.b) ** 2;
        if (distance < bestDistance) {
          bestDistance = distance;
          best = label.id;
        }
      }
      ids[p] = best;
    }
    return ids;
  }

  function currentPhoto() {
    const photo = inputs.photo;
    return el.align.checked && photo.aligned ? photo.aligned : photo.original;
  }

  /** The face of the photo, aligned by the server (dlib landmarks, the official FFHQ crop). */
  async function align(file) {
    const response = await api('/v1/align?face=largest', {
      method: 'POST', headers: { 'Content-Type': imageType(file), Accept: 'application/json' }, body: file,
    });
    const body = await response.json();
    const face = (body.faces || [])[0];
    if (!face) throw new Error('No face found in ' + (file.name || 'the photo') + '.');
    return base64Png(face.image || face.png || face.data);
  }

  async function alignPhoto() {
    const photo = inputs.photo;
    if (!photo.original || photo.aligned) return;
    try {
      photo.aligned = await align(photo.original);
    } catch (e) {
      el.align.checked = false;
      throw new Error('Alignment failed, the photo is used as it is: ' + e.message);
    }
  }

  el.align.addEventListener('change', () => {
    run(async () => {
      if (el.align.checked) await alignPhoto();
    }).finally(render);
  });

  function imageType(blob) {
    return blob.type || 'application/octet-stream';
  }

  /** The server reads PNG and JPEG: other images (WebP, GIF, BMP, ...) are re-encoded as PNG here. */
  async function sendable(file) {
    if (file.type === 'image/png' || file.type === 'image/jpeg') return file;
    const bitmap = await loadImage(file);
    const scratch = document.createElement('canvas');
    scratch.width = bitmap.width;
    scratch.height = bitmap.height;
    scratch.getContext('2d').drawImage(bitmap, 0, 0);
    const png = await new Promise((resolve) => scratch.toBlob(resolve, 'image/png'));
    return new File([png], (file.name || 'image').replace(/\.[^.]*$/, '') + '.png', { type: 'image/png' });
  }

  function base64Png(text) {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new Blob([bytes], { type: 'image/png' });
  }

  // ---------------------------------------------------------------- the input as sent

  /** The request body for the current input: drawn inputs as 256x256 gray PNGs, photos as uploaded. */
  async function inputBlob() {
    if (kind === 'photo') {
      const photo = currentPhoto();
      if (!photo) throw new Error('Upload a photo first.');
      return photo;
    }
    const gray = new Uint8Array(SIZE * SIZE);
    if (kind === 'seg') {
      gray.set(inputs.seg.ids); // the label ids themselves: 0..18
    } else {
      const d = ctx.getImageData(0, 0, SIZE, SIZE).data;
      for (let p = 0; p < gray.length; p++) {
        gray[p] = (d[4 * p] * 19595 + d[4 * p + 1] * 38470 + d[4 * p + 2] * 7471 + 0x8000) >> 16;
      }
    }
    return encodeGrayPng(gray, SIZE, SIZE);
  }

  /** Remembers what was sent, for tests and curious users: window.pspLastInput is the Blob. */
  function remember(blob, endpoint) {
    window.pspLastInput = blob;
    window.pspLastRequest = { endpoint, model: current && current.name, kind, type: blob.type, size: blob.size };
  }

  const CRC_TABLE = (() => {
    const table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
    return table;
  })();

  function crc32(bytes) {
    let c = 0xffffffff;
    for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 255] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  }

  /** zlib data: CompressionStream where the browser has it, stored (uncompressed) deflate blocks otherwise. */
  async function zlib(bytes) {
    if (typeof CompressionStream === 'function') {
      const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate'));
      return new Uint8Array(await new Response(stream).arrayBuffer());
    }
    const blocks = Math.max(1, Math.ceil(bytes.length / 65535));
    const out = new Uint8Array(2 + bytes.length + blocks * 5 + 4);
    out[0] = 0x78;
    out[1] = 0x01;
    let o = 2;
    for (let b = 0; b < blocks; b++) {
      const start = b * 65535;
      const length = Math.min(65535, bytes.length - start);
      out[o++] = b === blocks - 1 ? 1 : 0;
      out[o++] = length & 255;
      out[o++] = length >>> 8;
      out[o++] = ~length & 255;
      out[o++] = (~length >>> 8) & 255;
      out.set(bytes.subarray(start, start + length), o);
      o += length;
    }
    let s1 = 1;
    let s2 = 0;
    for (let i = 0; i < bytes.length; i++) {
      s1 = (s1 + bytes[i]) % 65521;
      s2 = (s2 + s1) % 65521;
    }
    new DataView(out.buffer).setUint32(o, ((s2 << 16) | s1) >>> 0);
    return out;
  }

  /** An 8-bit grayscale PNG (colour type 0) of the given values, so the server reads them unchanged. */
  async function encodeGrayPng(values, width, height) {
    const raw = new Uint8Array((width + 1) * height);
    for (let y = 0; y < height; y++) {
      raw[y * (width + 1)] = 0; // filter: none
      raw.set(values.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
    }
    const chunk = (type, data) => {
      const out = new Uint8Array(12 + data.length);
      const view = new DataView(out.buffer);
      view.setUint32(0, data.length);
      for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
      out.set(data, 8);
      view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
      return out;
    };
    const header = new Uint8Array(13);
    const view = new DataView(header.buffer);
    view.setUint32(0, width);
    view.setUint32(4, height);
    header.set([8, 0, 0, 0, 0], 8); // bit depth 8, gray, deflate, adaptive filters, no interlace
    const signature = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]);
    return new Blob([signature, chunk('IHDR', header), chunk('IDAT', await zlib(raw)), chunk('IEND', new Uint8Array())],
      { type: 'image/png' });
  }

  // ---------------------------------------------------------------- translate

  function query(params) {
    return new URLSearchParams({ model: current.name, ...params }).toString();
  }

  function ms(start) {
    const t = performance.now() - start;
    return t < 1000 ? Math.round(t) + ' ms' : (t / 1000).toFixed(2) + ' s';
  }

  function showImage(img, blob) {
    return new Promise((resolve, reject) => {
      const url = URL.createObjectURL(blob);
      img.onload = () => {
        img.classList.toggle('pixelated', img.naturalWidth < 256);
        resolve(url);
      };
      img.onerror = () => reject(new Error('The server sent an image the browser cannot show.'));
      if (img.dataset.url) URL.revokeObjectURL(img.dataset.url);
      img.dataset.url = url;
      img.src = url;
      img.hidden = false;
    });
  }

  el.translate.addEventListener('click', () => run(async () => {
    const model = current;
    const body = await inputBlob();
    remember(body, 'translate');
    el['translate-meta'].textContent = 'translating…';
    const start = performance.now();
    let response;
    try {
      response = await api('/v1/translate?' + query({}), {
        method: 'POST', headers: { 'Content-Type': imageType(body), Accept: 'image/png' }, body,
      });
    } finally {
      el['translate-meta'].textContent = '';
    }
    const blob = await response.blob();
    const time = ms(start);
    if (model !== current) return;
    const url = await showImage(el.result, blob);
    el.result.alt = 'Output of ' + model.name;
    el.result.dataset.seq = String(Number(el.result.dataset.seq || 0) + 1);
    el['result-empty'].hidden = true;
    const scale = el.result.getBoundingClientRect().width / el.result.naturalWidth;
    el['result-meta'].textContent = `${el.result.naturalWidth}×${el.result.naturalHeight} px`
      + (scale > 1.05 ? ` (shown ${Math.round(scale * 10) / 10}×)` : '') + ` · ${time} · ${model.name}`;
    el['translate-meta'].textContent = time;
    el['result-download'].href = url;
    el['result-download'].download = 'psp-' + model.name + '.png';
    el['result-download'].hidden = false;
  }));

  // ---------------------------------------------------------------- mix

  el['seed-random'].addEventListener('click', () => {
    el.seed.value = String(Math.floor(Math.random() * 2 ** 31));
  });
  el.alpha.addEventListener('input', () => {
    el['alpha-value'].textContent = Number(el.alpha.value).toFixed(2);
  });

  function intIn(input, min, max, name) {
    const value = Number(input.value);
    if (!Number.isInteger(value) || value < min || value > max) {
      input.focus();
      throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${input.value}".`);
    }
    return value;
  }

  el.mix.addEventListener('click', () => run(async () => {
    const model = current;
    const seed = intIn(el.seed, 0, Number.MAX_SAFE_INTEGER, 'Seed');
    const samples = intIn(el.samples, 1, 8, 'Samples');
    const body = await inputBlob();
    remember(body, 'mix');
    el['mix-meta'].textContent = 'mixing…';
    const start = performance.now();
    let response;
    try {
      response = await api('/v1/mix?' + query({
        layers: el.layers.value, alpha: el.alpha.value, seed: String(seed), samples: String(samples),
      }), { method: 'POST', headers: { 'Content-Type': imageType(body), Accept: 'application/json' }, body });
    } catch (e) {
      el['mix-meta'].textContent = '';
      throw e;
    }
    const json = await response.json();
    const time = ms(start);
    if (model !== current) return;
    const images = json.images || [];
    el.variants.replaceChildren();
    for (const [i, image] of images.entries()) {
      const figure = document.createElement('figure');
      const img = document.createElement('img');
      img.alt = `Variant ${i + 1} of ${images.length}`;
      const caption = document.createElement('figcaption');
      caption.textContent = String(i + 1);
      figure.append(img, caption);
      el.variants.append(figure);
      await showImage(img, base64Png(image));
    }
    el['mix-meta'].textContent = `${images.length} variant${images.length === 1 ? '' : 's'}`
      + ` · ${el.layers.value} layers · alpha ${Number(el.alpha.value).toFixed(2)} · seed ${seed} · ${time}`;
  }));

  // ---------------------------------------------------------------- interpolate

  const ends = { a: null, b: null };
  for (const end of ['a', 'b']) {
    const input = el['upload-' + end];
    input.addEventListener('change', () => {
      const file = input.files[0];
      if (!file) return;
      run(async () => {
        ends[end] = await sendable(file);
        await showImage(el['preview-' + end], ends[end]);
      });
    });
  }

  el['frame-slider'].addEventListener('input', showFrame);

  function showFrame() {
    const k = Number(el['frame-slider'].value);
    if (!frameUrls[k]) return;
    el.frame.src = frameUrls[k];
    el.frame.hidden = false;
    el.frame.alt = `Interpolation frame ${k + 1} of ${frameUrls.length}`;
    el['frame-empty'].hidden = true;
    el['frame-label'].textContent = `frame ${k + 1} of ${frameUrls.length}` + (k === 0 ? ' (A)'
      : k === frameUrls.length - 1 ? ' (B)' : '');
  }

  el.interpolate.addEventListener('click', () => run(async () => {
    const model = current;
    const steps = intIn(el.steps, 2, 32, 'Frames');
    const form = new FormData();
    for (const [part, end] of [['from', 'a'], ['to', 'b']]) {
      let file = ends[end];
      if (el.align.checked) {
        try {
          file = await align(file);
        } catch (e) {
          throw new Error(`Alignment of photo ${end.toUpperCase()} failed (${e.message}); uncheck`
            + ' "Align the face first" to use the photos as they are.');
        }
        await showImage(el['preview-' + end], file); // show what is encoded
      }
      form.append(part, file, file.name || part + '.png');
    }
    el['frame-label'].textContent = 'interpolating…';
    const start = performance.now();
    let response;
    try {
      response = await api('/v1/interpolate?' + query({ steps: String(steps) }), {
        method: 'POST', headers: { Accept: 'application/json' }, body: form,
      });
    } catch (e) {
      el['frame-label'].textContent = '';
      throw e;
    }
    const json = await response.json();
    if (model !== current) return;
    for (const url of frameUrls) URL.revokeObjectURL(url);
    frameUrls = (json.frames || []).map((frame) => URL.createObjectURL(base64Png(frame)));
    const slider = el['frame-slider'];
    slider.max = String(Math.max(0, frameUrls.length - 1));
    slider.value = '0';
    slider.disabled = frameUrls.length < 2;
    await new Promise((resolve) => {
      el.frame.onload = () => {
        el.frame.classList.toggle('pixelated', el.frame.naturalWidth < 256);
        resolve();
      };
      el.frame.onerror = resolve;
      showFrame();
    });
    el['frame-label'].textContent += ' · ' + ms(start);
  }));

  // ---------------------------------------------------------------- buttons

  function updateButtons() {
    const ready = isReady(current) && !busy;
    const hasInput = kind === 'photo' ? !!inputs.photo.original : true;
    el.translate.disabled = !ready || !hasInput;
    el.mix.disabled = !ready || !hasInput;
    el.interpolate.disabled = !ready || !ends.a || !ends.b;
    el.undo.disabled = kind === 'photo' || !inputs[kind].undo.length;
    for (const id of ['translate', 'mix', 'interpolate']) el[id].setAttribute('aria-busy', String(busy > 0));
  }

  // ---------------------------------------------------------------- start

  buildPalette();
  whiteCanvas();
  inputs.sketch.pixels = ctx.getImageData(0, 0, SIZE, SIZE);
  updateButtons();
  loadModels();
})();
