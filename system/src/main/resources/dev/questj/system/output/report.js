/* Quest/J report: draws the Gantt chart, the budgets and the response-time histograms from the
   JSON block #quest-data. Plain JavaScript and canvas; nothing is fetched. Only the window of the
   run in view is drawn (binary search into sorted slices, sub-pixel slices merged per pixel), so a
   large run stays fast. The page's state (tracks drawn, visible window, errors) is written to
   #quest-status, which the browser test reads. URL hash: #from=S&to=S (seconds), #zoom=F[&center=S]. */
(function () {
  'use strict';
  const status = { ok: false, ready: false, errors: [], tracks: 0, rows: [], view: null,
    drawn: { slices: 0, summary: 0, events: 0 }, histograms: 0, budgets: 0, detailEnd: null, draws: 0 };
  const statusEl = document.getElementById('quest-status');
  function publish() {
    status.ok = status.ready && status.errors.length === 0;
    if (statusEl) statusEl.textContent = JSON.stringify(status);
  }
  window.addEventListener('error', function (e) {
    status.errors.push(String(e.message || e.error || e));
    publish();
  });

  const D = JSON.parse(document.getElementById('quest-data').textContent);
  const HZ = D.hz;
  const M = D.metrics;
  const S = D.schedule;
  const MU = '\u00b5';

  // ---- formatting ----
  function trimZeros(s) { return s.indexOf('.') < 0 ? s : s.replace(/\.?0+$/, ''); }
  function fmt(c) {
    if (c === null || c === undefined) return '-';
    const s = c / HZ, a = Math.abs(s);
    if (a >= 1) return trimZeros(s.toFixed(3)) + ' s';
    if (a >= 1e-3) return trimZeros((s * 1e3).toFixed(3)) + ' ms';
    if (a >= 1e-6) return trimZeros((s * 1e6).toFixed(3)) + ' ' + MU + 's';
    return trimZeros((s * 1e9).toFixed(1)) + ' ns';
  }
  function fmtTick(c, step) {
    const st = step / HZ;
    const s = c / HZ;
    let unit, scale;
    if (st >= 0.1) { unit = ' s'; scale = 1; } else if (st >= 1e-4) { unit = ' ms'; scale = 1e3; }
    else if (st >= 1e-7) { unit = ' ' + MU + 's'; scale = 1e6; } else { unit = ' ns'; scale = 1e9; }
    const digits = Math.max(0, Math.min(9, -Math.floor(Math.log10(st * scale) + 1e-9)));
    return (s * scale).toFixed(digits) + unit;
  }
  function niceStep(span, target) {
    const raw = span / Math.max(1, target);
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    const m = raw / p;
    return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
  }

  // ---- colours ----
  const threadIndex = new Map();
  (M.threads || []).forEach(function (t) { if (!threadIndex.has(t.name)) threadIndex.set(t.name, threadIndex.size); });
  function hue(i) { return (i * 137.508 + 210) % 360; }
  const colourCache = new Map();
  function threadColour(name) {
    let c = colourCache.get(name);
    if (!c) {
      if (!threadIndex.has(name)) threadIndex.set(name, threadIndex.size);
      c = 'hsl(' + hue(threadIndex.get(name)).toFixed(1) + ',55%,56%)';
      colourCache.set(name, c);
    }
    return c;
  }
  function vcpuColour(trackIdx) { return 'hsl(' + hue(trackIdx * 3 + 1).toFixed(1) + ',45%,50%)'; }

  function histograms() {
    const grid = document.getElementById('histograms');
    if (!grid) return;
    (M.threads || []).forEach(function (t) {
      const rt = t.responseTime || {};
      const h = rt.histogram;
      if (!h || !h.counts || !h.counts.length) return;
      const box = document.createElement('div');
      box.className = 'hist';
      const title = document.createElement('div');
      title.className = 't';
      title.innerHTML = '';
      title.textContent = t.name + ' ';
      const small = document.createElement('small');
      small.textContent = t.vcpu + ', ' + t.completed + ' jobs' + (t.deadlineMisses ? ', ' + t.deadlineMisses + ' missed' : '');
      title.appendChild(small);
      box.appendChild(title);
      const cv = document.createElement('canvas');
      cv.height = 90;
      cv.className = 'hist-canvas';
      box.appendChild(cv);
      grid.appendChild(box);
      drawHistogram(cv, h, rt, t);
      status.histograms++;
    });
  }

  function drawHistogram(cv, h, rt, t) {
    const dpr = window.devicePixelRatio || 1;
    const W = Math.max(200, cv.clientWidth || 240), H = 90;
    cv.width = Math.round(W * dpr); cv.height = Math.round(H * dpr);
    cv.style.height = H + 'px';
    const ctx = cv.getContext('2d');
    ctx.scale(dpr, dpr);
    const L = 4, R = W - 4, T = 6, B = H - 18;
    const n = h.counts.length;
    const maxCount = Math.max.apply(null, h.counts.concat([1]));
    const lo = h.from, hi = h.from + h.width * n;
    const X = function (v) { return L + (v - lo) / Math.max(1, hi - lo) * (R - L); };
    ctx.fillStyle = t.deadlineMisses ? '#d9534f' : threadColour(t.name);
    for (let i = 0; i < n; i++) {
      if (!h.counts[i]) continue;
      const y = B - Math.max(1, (B - T) * h.counts[i] / maxCount);
      const x0 = X(lo + i * h.width), x1 = X(lo + (i + 1) * h.width);
      ctx.fillRect(x0 + 0.5, y, Math.max(1, x1 - x0 - 1), B - y);
    }
    ctx.strokeStyle = '#9aa2b1';
    ctx.beginPath(); ctx.moveTo(L, B + 0.5); ctx.lineTo(R, B + 0.5); ctx.stroke();
    ctx.font = '10px system-ui, sans-serif';
    [['p50', rt.p50, '#1d2330'], ['p99', rt.p99, '#b36b00'], ['max', rt.max, '#b3261e']].forEach(function (m, k) {
      if (m[1] === null || m[1] === undefined) return;
      const x = Math.round(X(m[1])) + 0.5;
      ctx.strokeStyle = m[2]; ctx.fillStyle = m[2];
      ctx.beginPath(); ctx.moveTo(x, T); ctx.lineTo(x, B); ctx.stroke();
      const label = m[0];
      const tw = ctx.measureText(label).width;
      ctx.fillText(label, Math.min(R - tw, Math.max(L, x + 2)), T + 8 + k * 10);
    });
    ctx.fillStyle = '#5b6475';
    ctx.textBaseline = 'top';
    ctx.fillText(fmt(lo), L, B + 4);
    const right = fmt(hi);
    ctx.fillText(right, R - ctx.measureText(right).width, B + 4);
  }

  // ---- the Gantt chart ----
  function gantt() {
    const canvas = document.getElementById('gantt');
    const budgetCanvas = document.getElementById('budget');
    const minimap = document.getElementById('minimap');
    if (!canvas) return;
    const tracks = S.tracks;
    const who = S.who;
    const strings = S.strings;
    const ROW_H = 20, AXIS_H = 24, GAP = 18;
    let LABEL_W = 160;
    const BUDGET_H = 44;

    // rows: PCPUs first (by PCPU), then VCPUs in metrics.json order
    const order = [];
    tracks.forEach(function (t, i) { if (t.kind === 'core') order.push(i); });
    order.sort(function (a, b) { return tracks[a].pcpu - tracks[b].pcpu; });
    const coreCount = order.length;
    tracks.forEach(function (t, i) { if (t.kind !== 'core') order.push(i); });
    const multiSandbox = new Set(tracks.map(function (t) { return t.sandbox; })).size > 1;
    const rowOfTrack = new Int32Array(tracks.length).fill(-1);
    const rows = order.map(function (ti, r) {
      rowOfTrack[ti] = r;
      const t = tracks[ti];
      const label = t.kind === 'core' ? t.name : 'VCPU ' + t.name + (t.vcpuKind === 'io' ? ' (I/O)' : '');
      return { track: ti, kind: t.kind, label: (multiSandbox ? t.sandbox + ': ' : '') + label, starts: [], ends: [], who: [], budget: [] };
    });

    {
      const m = canvas.getContext('2d');
      m.font = '12px system-ui, sans-serif';
      let widest = 0;
      rows.forEach(function (r) { widest = Math.max(widest, m.measureText(r.label).width); });
      LABEL_W = Math.round(Math.max(120, Math.min(280, widest + 18)));
    }

    // decode the detail: per PCPU [gap, length, who, budget]*; VCPU rows rebuilt from them
    const detail = S.detail;
    detail.cores.forEach(function (a, ti) {
      if (!a) return;
      const row = rows[rowOfTrack[ti]];
      let prevEnd = 0;
      for (let k = 0; k + 3 < a.length; k += 4) {
        const s = prevEnd + a[k], e = s + a[k + 1], w = a[k + 2], b = a[k + 3];
        prevEnd = e;
        row.starts.push(s); row.ends.push(e); row.who.push(w); row.budget.push(b);
        const vr = rows[rowOfTrack[who[w][0]]];
        if (vr) { vr.starts.push(s); vr.ends.push(e); vr.who.push(w); vr.budget.push(b); }
      }
    });
    rows.forEach(function (row) {
      const n = row.starts.length;
      const idx = new Array(n);
      for (let i = 0; i < n; i++) idx[i] = i;
      let sorted = true;
      for (let i = 1; i < n; i++) if (row.starts[i] < row.starts[i - 1]) { sorted = false; break; }
      if (!sorted) idx.sort(function (a, b) { return row.starts[a] - row.starts[b]; });
      row.s = Float64Array.from(idx, function (i) { return row.starts[i]; });
      row.e = Float64Array.from(idx, function (i) { return row.ends[i]; });
      row.w = Int32Array.from(idx, function (i) { return row.who[i]; });
      row.b = Float64Array.from(idx, function (i) { return row.budget[i]; });
      row.n = n;
      delete row.starts; delete row.ends; delete row.who; delete row.budget;
    });

    // events: [kind, time, core track, VCPU track, thread, detail, deadline]*
    const EV = S.events;
    const ne = Math.floor(EV.length / 7);
    const ev = { kind: new Int32Array(ne), time: new Float64Array(ne), core: new Int32Array(ne), vcpu: new Int32Array(ne),
      thread: new Int32Array(ne), detail: new Int32Array(ne), deadline: new Float64Array(ne) };
    for (let i = 0; i < ne; i++) {
      ev.kind[i] = EV[7 * i]; ev.time[i] = EV[7 * i + 1]; ev.core[i] = EV[7 * i + 2]; ev.vcpu[i] = EV[7 * i + 3];
      ev.thread[i] = EV[7 * i + 4]; ev.detail[i] = EV[7 * i + 5]; ev.deadline[i] = EV[7 * i + 6];
    }
    const KIND_STYLE = {
      release: { colour: '#2f5bd3', shape: 'tick', label: 'job release' },
      miss: { colour: '#d0021b', shape: 'down', label: 'deadline miss' },
      irq: { colour: '#7d8594', shape: 'base', label: 'interrupt' },
      io: { colour: '#0f9d8a', shape: 'dot', label: 'I/O request' },
      fault: { colour: '#a0169b', shape: 'cross', label: 'fault' },
      breach: { colour: '#d0021b', shape: 'cross', label: 'isolation breach' },
      blocked: { colour: '#7d8594', shape: 'diamond', label: 'blocked access' },
      vmexit: { colour: '#8e44ad', shape: 'diamond', label: 'VM exit' },
      boot: { colour: '#1f7a3d', shape: 'diamond', label: 'sandbox boot' },
      recovery: { colour: '#1f7a3d', shape: 'diamond', label: 'recovery' },
      migration: { colour: '#0f9d8a', shape: 'diamond', label: 'migration' },
      halt: { colour: '#d0021b', shape: 'down', label: 'kernel or PCPU halted' },
      detected: { colour: '#e07b00', shape: 'down', label: 'failure detected' },
      restart: { colour: '#1f7a3d', shape: 'tick', label: 'kernel restarted' },
      recovered: { colour: '#1f7a3d', shape: 'down', label: 'sandbox recovered' },
      down: { colour: '#d0021b', shape: 'cross', label: 'sandbox stays down' },
      contained: { colour: '#0f9d8a', shape: 'cross', label: 'fault contained' }
    };
    function styleOf(kind) { return KIND_STYLE[kind] || { colour: '#e07b00', shape: 'diamond', label: kind }; }
    const kindStyles = S.kinds.map(styleOf);

    const overview = S.overview;
    const detailEnd = detail.end === null ? Infinity : detail.end;
    status.detailEnd = detail.end;

    const ext = S.extent || [0, D.simulated];
    const FULL = { from: ext[0], to: Math.max(ext[1], ext[0] + 1) };
    const LIMIT = { from: Math.min(0, FULL.from), to: Math.max(D.simulated, FULL.to) };
    const MIN_SPAN = Math.max(20, HZ * 1e-7);
    const view = { from: FULL.from, to: FULL.to };

    function clampView() {
      let span = Math.max(MIN_SPAN, Math.min(view.to - view.from, LIMIT.to - LIMIT.from));
      let from = Math.max(LIMIT.from, Math.min(view.from, LIMIT.to - span));
      view.from = from; view.to = from + span;
    }
    function zoomAt(t, factor) {
      const f = (t - view.from) / (view.to - view.from);
      const span = (view.to - view.from) * factor;
      view.from = t - f * span; view.to = view.from + span;
      clampView();
    }
    function pan(fraction) {
      const d = (view.to - view.from) * fraction;
      view.from += d; view.to += d;
      clampView();
    }
    function fromHash() {
      const h = new URLSearchParams(location.hash.replace(/^#/, ''));
      let changed = false;
      if (h.has('from') || h.has('to')) {
        const f = h.has('from') ? parseFloat(h.get('from')) * HZ : FULL.from;
        const t = h.has('to') ? parseFloat(h.get('to')) * HZ : FULL.to;
        if (isFinite(f) && isFinite(t) && t > f) { view.from = f; view.to = t; clampView(); changed = true; }
      }
      if (h.has('zoom')) {
        const z = parseFloat(h.get('zoom'));
        const c = h.has('center') ? parseFloat(h.get('center')) * HZ : (view.from + view.to) / 2;
        if (isFinite(z) && z > 0 && isFinite(c)) { zoomAt(c, 1 / z); changed = true; }
      }
      return changed;
    }

    // ---- geometry ----
    let W = 800, plotL = LABEL_W, plotR = 790, H = 0;
    const ctx = canvas.getContext('2d');
    function X(t) { return plotL + (t - view.from) / (view.to - view.from) * (plotR - plotL); }
    function T(x) { return view.from + (x - plotL) / (plotR - plotL) * (view.to - view.from); }
    function rowY(r) { return AXIS_H + r * ROW_H + (r >= coreCount ? GAP : 0); }
    function rowAt(y) {
      for (let r = 0; r < rows.length; r++) { const y0 = rowY(r); if (y >= y0 && y < y0 + ROW_H) return r; }
      return -1;
    }
    function firstEndAfter(arr, t, n) { // first i with arr[i] > t
      let lo = 0, hi = n;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (arr[mid] > t) hi = mid; else lo = mid + 1; }
      return lo;
    }
    function firstAtOrAfter(arr, t, n) {
      let lo = 0, hi = n;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (arr[mid] >= t) hi = mid; else lo = mid + 1; }
      return lo;
    }
    function setupCanvas(cv, height) {
      const dpr = window.devicePixelRatio || 1;
      const width = Math.max(400, cv.parentElement.clientWidth || document.body.clientWidth || 800);
      cv.width = Math.round(width * dpr); cv.height = Math.round(height * dpr);
      cv.style.height = height + 'px';
      const c = cv.getContext('2d');
      c.setTransform(dpr, 0, 0, dpr, 0, 0);
      return width;
    }
    function whoColour(row, w) {
      const entry = who[w];
      if (row.kind === 'core') return vcpuColour(entry[0]);
      return threadColour(strings[entry[1]]);
    }
    function whoLabel(w) {
      const e = who[w];
      const name = strings[e[1]];
      return e[2] >= 0 ? name + ' \u2192 ' + strings[e[2]] : name;
    }

    function drawAxis(c, width, height, top) {
      const span = view.to - view.from;
      const step = niceStep(span, (plotR - plotL) / 110);
      c.font = '11px system-ui, sans-serif';
      c.textBaseline = 'middle';
      const first = Math.ceil(view.from / step) * step;
      for (let t = first, k = 0; t <= view.to && k < 200; t += step, k++) {
        const x = Math.round(X(t)) + 0.5;
        c.strokeStyle = '#eceef2';
        c.beginPath(); c.moveTo(x, top); c.lineTo(x, height); c.stroke();
        if (top > 0) {
          c.fillStyle = '#5b6475';
          c.fillText(fmtTick(t, step), x + 3, top / 2);
        }
      }
    }

    function drawSlices(row, y, h) {
      let i = firstEndAfter(row.e, view.from, row.n);
      let lastPx = -1e9, drawn = 0;
      const labels = [];
      for (; i < row.n; i++) {
        const s = row.s[i];
        if (s >= view.to) break;
        const w = row.w[i];
        let x0 = X(s), x1 = X(row.e[i]);
        if (x1 - x0 < 1) {
          const px = Math.floor(x0);
          if (px === lastPx) continue;
          lastPx = px;
          ctx.fillStyle = whoColour(row, w);
          ctx.fillRect(px, y, 1, h);
          drawn++;
          continue;
        }
        x0 = Math.max(x0, plotL); x1 = Math.min(x1, plotR);
        ctx.fillStyle = whoColour(row, w);
        ctx.fillRect(x0, y, x1 - x0, h);
        lastPx = Math.floor(x1 - 1);
        drawn++;
        if (x1 - x0 > 40) labels.push([x0, x1, w]);
      }
      if (labels.length) {
        ctx.fillStyle = '#ffffff';
        ctx.font = '11px system-ui, sans-serif';
        ctx.textBaseline = 'middle';
        labels.forEach(function (l) {
          const text = whoLabel(l[2]);
          ctx.save();
          ctx.beginPath(); ctx.rect(l[0] + 2, y, l[1] - l[0] - 4, h); ctx.clip();
          ctx.fillText(text, l[0] + 3, y + h / 2 + 0.5);
          ctx.restore();
        });
      }
      return drawn;
    }

    function drawSummary(row, y, h) {
      if (!overview || detailEnd >= view.to) return 0;
      const busy = overview.busy[row.track], dom = overview.dom[row.track];
      if (!busy || !busy.length) return 0;
      const a = Math.max(view.from, detailEnd, overview.from), b = view.to;
      const bw = overview.width;
      const k0 = Math.max(0, Math.floor((a - overview.from) / bw));
      const k1 = Math.min(busy.length, Math.ceil((b - overview.from) / bw));
      let drawn = 0;
      const pxPerBucket = bw / (view.to - view.from) * (plotR - plotL);
      ctx.globalAlpha = 0.85;
      if (pxPerBucket >= 1) {
        for (let k = k0; k < k1; k++) {
          const f = busy[k] / 1000;
          if (f <= 0) continue;
          const x0 = Math.max(X(Math.max(a, overview.from + k * bw)), plotL);
          const x1 = Math.min(X(overview.from + (k + 1) * bw), plotR);
          if (x1 <= x0) continue;
          ctx.fillStyle = dom[k] >= 0 ? whoColour(row, dom[k]) : '#9aa2b1';
          const hh = Math.max(1, h * Math.min(1, f));
          ctx.fillRect(x0, y + h - hh, x1 - x0, hh);
          drawn++;
        }
      } else {
        const px0 = Math.floor(X(a)), px1 = Math.ceil(X(b));
        for (let px = Math.max(px0, plotL); px < Math.min(px1, plotR); px++) {
          const ka = Math.max(k0, Math.floor((T(px) - overview.from) / bw));
          const kb = Math.min(k1, Math.max(ka + 1, Math.ceil((T(px + 1) - overview.from) / bw)));
          let sum = 0, best = -1, bestBusy = -1;
          for (let k = ka; k < kb; k++) { sum += busy[k]; if (busy[k] > bestBusy) { bestBusy = busy[k]; best = dom[k]; } }
          const f = sum / Math.max(1, kb - ka) / 1000;
          if (f <= 0) continue;
          ctx.fillStyle = best >= 0 ? whoColour(row, best) : '#9aa2b1';
          const hh = Math.max(1, h * Math.min(1, f));
          ctx.fillRect(px, y + h - hh, 1, hh);
          drawn++;
        }
      }
      ctx.globalAlpha = 1;
      return drawn;
    }

    function marker(c, shape, colour, x, y0, h) {
      c.fillStyle = colour; c.strokeStyle = colour;
      switch (shape) {
        case 'tick': c.fillRect(Math.round(x), y0, 1, 5); break;
        case 'down': c.beginPath(); c.moveTo(x - 5, y0); c.lineTo(x + 5, y0); c.lineTo(x, y0 + 8); c.closePath(); c.fill();
          c.fillRect(Math.round(x), y0, 1, h); break;
        case 'base': c.fillRect(Math.round(x), y0 + h - 4, 1, 4); break;
        case 'dot': c.beginPath(); c.arc(x, y0 + h - 4, 2.5, 0, 2 * Math.PI); c.fill(); break;
        case 'cross': c.lineWidth = 2; c.beginPath(); c.moveTo(x - 4, y0 + 2); c.lineTo(x + 4, y0 + 10);
          c.moveTo(x + 4, y0 + 2); c.lineTo(x - 4, y0 + 10); c.stroke(); c.lineWidth = 1; break;
        default: c.beginPath(); c.moveTo(x, y0 + 1); c.lineTo(x + 5, y0 + 6); c.lineTo(x, y0 + 11); c.lineTo(x - 5, y0 + 6);
          c.closePath(); c.fill();
      }
    }

    function eventRows(i) {
      const k = S.kinds[ev.kind[i]];
      const vr = ev.vcpu[i] >= 0 ? rowOfTrack[ev.vcpu[i]] : -1;
      const cr = ev.core[i] >= 0 ? rowOfTrack[ev.core[i]] : -1;
      if (k === 'irq') return [cr];
      if (k === 'miss') return [vr, cr];
      return vr >= 0 ? [vr] : [cr];
    }

    function drawEvents() {
      const i0 = firstAtOrAfter(ev.time, view.from, ne);
      const i1 = firstAtOrAfter(ev.time, view.to, ne);
      const dense = (i1 - i0) > (plotR - plotL) * 6;
      let drawn = 0;
      // frequent kinds first, the rare ones on top
      for (let pass = 0; pass < 2; pass++) {
        for (let i = i0; i < i1; i++) {
          const kind = S.kinds[ev.kind[i]];
          const frequent = kind === 'release' || kind === 'irq' || kind === 'io';
          if ((pass === 0) !== frequent) continue;
          if (frequent && dense) continue;
          const st = kindStyles[ev.kind[i]];
          const x = X(ev.time[i]);
          eventRows(i).forEach(function (r) {
            if (r < 0) return;
            marker(ctx, st.shape, st.colour, x, rowY(r), ROW_H - 2);
            drawn++;
          });
        }
      }
      return drawn;
    }

    let drawPending = false;
    function requestDraw() {
      if (drawPending) return;
      drawPending = true;
      requestAnimationFrame(function () { drawPending = false; drawAll(); });
    }

    function drawAll() {
      try {
        drawGantt();
        drawBudgets();
        drawMinimap();
      } catch (e) {
        status.errors.push(String(e && e.stack || e));
      }
      publish();
    }

    function drawGantt() {
      H = AXIS_H + rows.length * ROW_H + GAP + 6;
      W = setupCanvas(canvas, H);
      plotL = LABEL_W; plotR = W - 8;
      ctx.clearRect(0, 0, W, H);
      for (let r = 0; r < rows.length; r++) {
        if (r % 2 === 0) { ctx.fillStyle = '#f7f8fa'; ctx.fillRect(0, rowY(r), W, ROW_H); }
      }
      drawAxis(ctx, W, H, AXIS_H);
      let slices = 0, summary = 0;
      ctx.save();
      ctx.beginPath(); ctx.rect(plotL, 0, plotR - plotL, H); ctx.clip();
      for (let r = 0; r < rows.length; r++) {
        const y = rowY(r) + 2, h = ROW_H - 4;
        slices += drawSlices(rows[r], y, h);
        summary += drawSummary(rows[r], y, h);
      }
      if (detailEnd < view.to && detailEnd > view.from) {
        const x = Math.round(X(detailEnd)) + 0.5;
        ctx.strokeStyle = '#5b6475'; ctx.setLineDash([4, 3]);
        ctx.beginPath(); ctx.moveTo(x, AXIS_H); ctx.lineTo(x, H); ctx.stroke(); ctx.setLineDash([]);
        ctx.fillStyle = '#5b6475'; ctx.font = '11px system-ui, sans-serif';
        ctx.fillText('summary \u2192', x + 4, AXIS_H + 8);
      }
      const events = drawEvents();
      ctx.restore();
      // labels
      ctx.font = '12px system-ui, sans-serif';
      ctx.textBaseline = 'middle';
      for (let r = 0; r < rows.length; r++) {
        ctx.fillStyle = r % 2 === 0 ? '#f7f8fa' : '#ffffff';
        ctx.fillRect(0, rowY(r), plotL - 4, ROW_H);
        ctx.fillStyle = rows[r].kind === 'core' ? '#1d2330' : '#3b4252';
        ctx.save(); ctx.beginPath(); ctx.rect(0, rowY(r), plotL - 8, ROW_H); ctx.clip();
        ctx.fillText(rows[r].label, 6, rowY(r) + ROW_H / 2);
        ctx.restore();
      }
      ctx.fillStyle = '#5b6475'; ctx.font = '11px system-ui, sans-serif';
      ctx.fillText('PCPUs', 6, AXIS_H / 2);
      if (rows.length > coreCount) {
        ctx.fillText('VCPUs', 6, rowY(coreCount) - GAP / 2 + 1);
      }
      document.getElementById('gantt-range').textContent =
        fmt(view.from) + ' \u2013 ' + fmt(view.to) + '  (' + fmt(view.to - view.from) + ' shown)';
      status.tracks = rows.length;
      status.rows = rows.map(function (r) { return r.label; });
      status.view = { from: view.from, to: view.to, fromSeconds: view.from / HZ, toSeconds: view.to / HZ };
      status.drawn = { slices: slices, summary: summary, events: events };
      status.draws++;
    }

    // ---- budgets ----
    const vcpuRows = rows.filter(function (r) { return r.kind === 'vcpu'; });
    function capOf(row) {
      const t = tracks[row.track];
      if (t.vcpuKind !== 'io' && t.budget > 0) return t.budget;
      let m = 1;
      for (let i = 0; i < row.n; i++) m = Math.max(m, row.b[i] + row.e[i] - row.s[i]);
      return m;
    }
    vcpuRows.forEach(function (r) { r.cap = capOf(r); });

    function drawBudgets() {
      if (!budgetCanvas) return;
      const height = AXIS_H + vcpuRows.length * BUDGET_H + 4;
      const width = setupCanvas(budgetCanvas, height);
      const c = budgetCanvas.getContext('2d');
      c.clearRect(0, 0, width, height);
      drawAxis(c, width, height, AXIS_H);
      c.font = '12px system-ui, sans-serif';
      c.textBaseline = 'middle';
      const span = view.to - view.from;
      vcpuRows.forEach(function (row, k) {
        const t = tracks[row.track];
        const y0 = AXIS_H + k * BUDGET_H, h = BUDGET_H - 8, yb = y0 + 4 + h;
        const cap = row.cap;
        const Y = function (v) { return yb - Math.max(0, Math.min(1.05, v / cap)) * h; };
        if (k % 2 === 0) { c.fillStyle = '#f7f8fa'; c.fillRect(0, y0, width, BUDGET_H); }
        c.save();
        c.beginPath(); c.rect(plotL, y0, plotR - plotL, BUDGET_H); c.clip();
        if (t.period > 0 && (plotR - plotL) * t.period / span >= 8) {
          c.strokeStyle = '#e3e6ee';
          const first = Math.ceil(view.from / t.period) * t.period;
          for (let p = first; p <= view.to; p += t.period) {
            const x = Math.round(X(p)) + 0.5;
            c.beginPath(); c.moveTo(x, y0 + 2); c.lineTo(x, yb); c.stroke();
          }
        }
        c.strokeStyle = '#9aa2b1'; c.setLineDash([4, 3]);
        c.beginPath(); c.moveTo(plotL, Math.round(Y(cap)) + 0.5); c.lineTo(plotR, Math.round(Y(cap)) + 0.5); c.stroke();
        c.setLineDash([]);
        c.strokeStyle = vcpuColour(row.track);
        c.lineWidth = 1.5;
        let i = Math.max(0, firstEndAfter(row.e, view.from, row.n) - 1);
        const iEnd = Math.min(row.n, firstAtOrAfter(row.s, view.to, row.n) + 1);
        const dense = iEnd - i > (plotR - plotL) * 2;
        c.beginPath();
        let started = false;
        if (dense) {
          let px = -1e9, lo = 0, hi = 0;
          const flush = function () { if (px > -1e9) { c.moveTo(px + 0.5, Y(lo)); c.lineTo(px + 0.5, Y(hi) - 0.5); } };
          for (; i < iEnd; i++) {
            const vs = row.b[i] + row.e[i] - row.s[i], ve = row.b[i];
            const p = Math.floor(X(row.s[i]));
            if (p !== px) { flush(); px = p; lo = Math.min(vs, ve); hi = Math.max(vs, ve); } else { lo = Math.min(lo, vs, ve); hi = Math.max(hi, vs, ve); }
          }
          flush();
        } else {
          for (; i < iEnd; i++) {
            const s = row.s[i], e = row.e[i], b = row.b[i];
            const vs = t.vcpuKind !== 'io' ? Math.min(cap, b + e - s) : b + e - s;
            if (!started) { c.moveTo(X(s), Y(vs)); started = true; } else { c.lineTo(X(s), Y(vs)); }
            c.lineTo(X(e), Y(b));
            if (i + 1 < row.n) { c.lineTo(X(row.s[i + 1]), Y(b)); } else { c.lineTo(X(Math.min(view.to, detailEnd)), Y(b)); }
          }
        }
        c.stroke();
        c.lineWidth = 1;
        c.restore();
        c.fillStyle = '#3b4252';
        c.fillText(t.name, 6, y0 + 12);
        c.fillStyle = '#5b6475';
        c.font = '11px system-ui, sans-serif';
        c.fillText(t.vcpuKind === 'io' ? 'I/O, period ' + fmt(t.period) : fmt(t.budget) + ' / ' + fmt(t.period), 6, y0 + 28);
        c.font = '12px system-ui, sans-serif';
      });
      status.budgets = vcpuRows.length;
    }

    // ---- the minimap: the whole recording, busy PCPUs per pixel, and the window shown ----
    let mini = null;
    function buildMini(width) {
      const L = plotL, R = width - 8, n = Math.max(1, R - L);
      const busy = new Float64Array(n);
      const span = FULL.to - FULL.from;
      const add = function (s, e, weight) {
        let p = (s - FULL.from) / span * n, q = (e - FULL.from) / span * n;
        p = Math.max(0, p); q = Math.min(n, q);
        for (let k = Math.floor(p); k < q && k < n; k++) {
          busy[k] += weight * (Math.min(q, k + 1) - Math.max(p, k));
        }
      };
      rows.forEach(function (row) {
        if (row.kind !== 'core') return;
        for (let i = 0; i < row.n; i++) add(row.s[i], row.e[i], 1);
        if (overview && overview.busy[row.track]) {
          const b = overview.busy[row.track];
          for (let k = 0; k < b.length; k++) {
            const s = Math.max(overview.from + k * overview.width, detailEnd);
            const e = overview.from + (k + 1) * overview.width;
            if (e > s) add(s, e, b[k] / 1000);
          }
        }
      });
      return { width: width, L: L, R: R, busy: busy, n: n };
    }
    function drawMinimap() {
      if (!minimap) return;
      const width = setupCanvas(minimap, 36);
      if (!mini || mini.width !== width) mini = buildMini(width);
      const c = minimap.getContext('2d');
      c.clearRect(0, 0, width, 36);
      c.fillStyle = '#f6f7f9'; c.fillRect(mini.L, 0, mini.R - mini.L, 36);
      c.fillStyle = '#7f97d9';
      const cores = Math.max(1, coreCount);
      for (let k = 0; k < mini.n; k++) {
        const f = Math.min(1, mini.busy[k] / cores);
        if (f > 0) c.fillRect(mini.L + k, 34 - 30 * f, 1, 30 * f);
      }
      const span = FULL.to - FULL.from;
      const x0 = mini.L + (view.from - FULL.from) / span * (mini.R - mini.L);
      const x1 = mini.L + (view.to - FULL.from) / span * (mini.R - mini.L);
      c.fillStyle = 'rgba(47,91,211,0.15)'; c.strokeStyle = '#2f5bd3';
      c.fillRect(x0, 0, Math.max(2, x1 - x0), 36);
      c.strokeRect(x0 + 0.5, 0.5, Math.max(2, x1 - x0), 35);
      c.fillStyle = '#5b6475'; c.font = '11px system-ui, sans-serif'; c.textBaseline = 'middle';
      c.fillText('whole recording', 6, 18);
    }

    // ---- interaction ----
    const tip = document.getElementById('tooltip');
    function showTip(text, x, y) {
      if (!tip) return;
      tip.textContent = text;
      tip.hidden = false;
      tip.style.left = Math.min(window.innerWidth - 300, x + 14) + 'px';
      tip.style.top = (y + 14) + 'px';
    }
    function hideTip() { if (tip) tip.hidden = true; }
    function describeSlice(row, i) {
      const w = row.w[i], e = who[w];
      const vt = tracks[e[0]];
      const lines = [strings[e[1]] + (e[2] >= 0 ? ' serving ' + strings[e[2]] : '')];
      lines.push('VCPU ' + vt.name + (row.kind === 'core' ? '' : ''));
      if (row.kind === 'core') lines.push(tracks[row.track].name);
      lines.push(fmt(row.s[i]) + ' \u2013 ' + fmt(row.e[i]) + ' (' + fmt(row.e[i] - row.s[i]) + ')');
      if (row.b[i] >= 0) lines.push('budget left ' + fmt(row.b[i]));
      return lines.join('\n');
    }
    function describeEvent(i) {
      const k = S.kinds[ev.kind[i]];
      const lines = [styleOf(k).label + ' at ' + fmt(ev.time[i])];
      if (ev.thread[i] >= 0) lines.push('thread ' + strings[ev.thread[i]]);
      if (ev.vcpu[i] >= 0) lines.push('VCPU ' + tracks[ev.vcpu[i]].name);
      if (ev.core[i] >= 0) lines.push(tracks[ev.core[i]].name);
      if (ev.deadline[i] >= 0) lines.push('deadline ' + fmt(ev.deadline[i]));
      if (ev.detail[i] >= 0) lines.push(strings[ev.detail[i]]);
      return lines.join('\n');
    }
    function hover(mx, my, cx, cy) {
      const r = rowAt(my);
      if (r < 0 || mx < plotL || mx > plotR) { hideTip(); return; }
      const t = T(mx);
      const tol = 4 / (plotR - plotL) * (view.to - view.from);
      const i0 = firstAtOrAfter(ev.time, t - tol, ne), i1 = firstAtOrAfter(ev.time, t + tol, ne);
      for (let i = i0; i < i1; i++) {
        if (eventRows(i).indexOf(r) >= 0) { showTip(describeEvent(i), cx, cy); return; }
      }
      const row = rows[r];
      let i = firstEndAfter(row.e, t, row.n);
      if (i < row.n && row.s[i] <= t + tol) { showTip(describeSlice(row, i), cx, cy); return; }
      if (t >= detailEnd) { showTip('summary: how busy this track was, coloured by what ran the longest', cx, cy); return; }
      hideTip();
    }

    let drag = null;
    canvas.addEventListener('mousedown', function (e) {
      drag = { x: e.clientX, from: view.from, to: view.to };
      canvas.classList.add('dragging');
      e.preventDefault();
    });
    window.addEventListener('mouseup', function () { drag = null; canvas.classList.remove('dragging'); });
    window.addEventListener('mousemove', function (e) {
      if (drag) {
        const dt = (e.clientX - drag.x) / (plotR - plotL) * (drag.to - drag.from);
        view.from = drag.from - dt; view.to = drag.to - dt;
        clampView();
        hideTip();
        requestDraw();
        return;
      }
      if (e.target === canvas) {
        const rect = canvas.getBoundingClientRect();
        hover(e.clientX - rect.left, e.clientY - rect.top, e.clientX, e.clientY);
      } else {
        hideTip();
      }
    });
    canvas.addEventListener('mouseleave', hideTip);
    function wheel(e) {
      e.preventDefault();
      const rect = e.currentTarget.getBoundingClientRect();
      const mx = e.clientX - rect.left;
      const t = mx >= plotL && mx <= plotR ? T(mx) : (view.from + view.to) / 2;
      const dy = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
      if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(dy)) {
        pan((e.deltaX || dy) / 800);
      } else {
        zoomAt(t, Math.exp(dy * 0.002));
      }
      requestDraw();
    }
    canvas.addEventListener('wheel', wheel, { passive: false });
    if (budgetCanvas) budgetCanvas.addEventListener('wheel', wheel, { passive: false });
    document.getElementById('gantt-toolbar').addEventListener('click', function (e) {
      const act = e.target && e.target.getAttribute && e.target.getAttribute('data-act');
      if (!act) return;
      const mid = (view.from + view.to) / 2;
      if (act === 'in') zoomAt(mid, 0.5);
      else if (act === 'out') zoomAt(mid, 2);
      else if (act === 'left') pan(-0.25);
      else if (act === 'right') pan(0.25);
      else if (act === 'reset') { view.from = FULL.from; view.to = FULL.to; clampView(); }
      requestDraw();
    });
    canvas.tabIndex = 0;
    canvas.addEventListener('keydown', function (e) {
      const mid = (view.from + view.to) / 2;
      if (e.key === '+' || e.key === '=') zoomAt(mid, 0.5);
      else if (e.key === '-') zoomAt(mid, 2);
      else if (e.key === 'ArrowLeft') pan(-0.25);
      else if (e.key === 'ArrowRight') pan(0.25);
      else if (e.key === '0') { view.from = FULL.from; view.to = FULL.to; clampView(); }
      else return;
      e.preventDefault();
      requestDraw();
    });
    if (minimap) {
      let miniDrag = false;
      const moveTo = function (e) {
        const rect = minimap.getBoundingClientRect();
        const f = (e.clientX - rect.left - plotL) / Math.max(1, rect.width - 8 - plotL);
        const c = FULL.from + Math.max(0, Math.min(1, f)) * (FULL.to - FULL.from);
        const span = view.to - view.from;
        view.from = c - span / 2; view.to = c + span / 2;
        clampView();
        requestDraw();
      };
      minimap.addEventListener('mousedown', function (e) { miniDrag = true; moveTo(e); e.preventDefault(); });
      window.addEventListener('mouseup', function () { miniDrag = false; });
      minimap.addEventListener('mousemove', function (e) { if (miniDrag) moveTo(e); });
    }
    window.addEventListener('resize', function () { mini = null; requestDraw(); });
    window.addEventListener('hashchange', function () { if (fromHash()) requestDraw(); });

    // legend
    const legend = document.getElementById('legend');
    if (legend) {
      const parts = [];
      S.kinds.forEach(function (k) {
        const st = styleOf(k);
        parts.push('<span><i style="background:' + st.colour + '"></i>' + escapeHtml(st.label) + ' (' +
          (S.kindCounts[k] || 0).toLocaleString('en') + ')</span>');
      });
      parts.push('<span>PCPU rows: coloured by VCPU; VCPU rows: coloured by thread</span>');
      if (overview) parts.push('<span>after the dashed line: summary (bar height = how busy)</span>');
      legend.innerHTML = parts.join('');
    }

    fromHash();
    drawAll();
    if (new URLSearchParams(location.hash.replace(/^#/, '')).has('selftest')) selfTest();

    /* #selftest: drive the chart as a person would (wheel, drag, a button, hovering a slice) through
       the same event handlers, and record the window after each step in status.selftest. */
    function selfTest() {
      const steps = [];
      const rec = function (name, extra) {
        const o = { step: name, from: view.from, to: view.to };
        if (extra) Object.keys(extra).forEach(function (k) { o[k] = extra[k]; });
        steps.push(o);
      };
      const rect = canvas.getBoundingClientRect();
      const cx = rect.left + plotL + (plotR - plotL) / 2, cy = rect.top + rowY(0) + ROW_H / 2;
      rec('start');
      canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: -600, clientX: cx, clientY: cy, bubbles: true, cancelable: true }));
      rec('wheel');
      canvas.dispatchEvent(new MouseEvent('mousedown', { clientX: cx, clientY: cy, bubbles: true, cancelable: true }));
      window.dispatchEvent(new MouseEvent('mousemove', { clientX: cx - 200, clientY: cy }));
      window.dispatchEvent(new MouseEvent('mouseup', { clientX: cx - 200, clientY: cy }));
      rec('drag');
      document.querySelector('#gantt-toolbar [data-act="out"]').click();
      rec('button');
      const row = rows[0];
      let i = firstEndAfter(row.e, view.from, row.n);
      while (i < row.n && row.s[i] < view.from) i++;
      if (i < row.n && row.s[i] < view.to) {
        // zoom so that the slice is a few dozen pixels wide, then point at its middle
        const len = row.e[i] - row.s[i], mid = (row.s[i] + row.e[i]) / 2;
        view.from = mid - 10 * len; view.to = mid + 10 * len;
        clampView();
        drawAll();
        const x = Math.round(rect.left + X(mid));
        canvas.dispatchEvent(new MouseEvent('mousemove', { clientX: x, clientY: cy, bubbles: true }));
        rec('hover', { tooltip: tip && !tip.hidden ? tip.textContent : '', thread: strings[who[row.w[i]][1]] });
      }
      status.selftest = steps;
      drawAll();
    }
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  try {
    histograms();
    if (S) gantt();
    status.ready = true;
  } catch (e) {
    status.errors.push(String(e && e.stack || e));
  }
  publish();
})();
