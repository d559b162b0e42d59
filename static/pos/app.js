// Karya POS: the screen. Data and rules live in the other modules; this one wires the
// page (templates/pos/app/index.html) to them. The words on screen come translated from
// the page (its HTML and the "strings" of the pos-config JSON), never from here.

import { ApiError, AuthError, NetworkError, configure, fill, request } from "./api.js";
import { cameraAvailable, scanWithCamera } from "./camera.js";
import { Cart } from "./cart.js";
import { buildIndex, isExpired, lookup, search, uncountedLines, unitsLeft } from "./catalogue.js";
import { doneAll, donePut, openDb, pruneDone, queueAdd, queueAll, stateGet, stateSet } from "./db.js";
import { parseRupiah, quickAmounts, rupiah, toAmount } from "./money.js";
import { createSync } from "./sync.js";

const config = JSON.parse(document.getElementById("pos-config").textContent);
configure(config);
const $ = (id) => document.getElementById(id);
const scan = $("scan");

const app = {
  session: null, // {id, openedAt, openingFloat, userId, location}
  index: null, // the location's catalogue, indexed (catalogue.js)
  catalogueTime: 0, // when the server made it (ms)
  sold: [], // lines this device sold that the catalogue does not know about yet
  sales: [], // queued and answered sales of this session, newest first
  cart: new Cart(),
  sync: null,
  syncState: null,
  lastSale: null, // uuid shown in the "sale saved" dialog
  voiding: null, // {record, token} while the void dialog is open
  serverSales: [], // this session's sales as the server lists them, from every device
};

// --- words -------------------------------------------------------------------------

function t(key, values = {}) {
  return config.strings[key].replace(/\{(\w)\}/g, (_, name) => values[name] ?? "");
}

/** Picks the "_one" or "_other" text by the language's plural rule. */
function tn(key, n, values = {}) {
  const form = new Intl.PluralRules(config.lang).select(n) === "one" ? "one" : "other";
  return t(`${key}_${form}`, { n, ...values });
}

const timeFormat = new Intl.DateTimeFormat(config.lang, { hour: "2-digit", minute: "2-digit" });
const dateTimeFormat = new Intl.DateTimeFormat(config.lang, {
  dateStyle: "medium",
  timeStyle: "short",
});

// --- messages (read out by screen readers: aria-live regions in the page) -----------

function say(text) {
  $("scan-error").textContent = "";
  $("scan-status").textContent = text;
}

function complain(text) {
  $("scan-status").textContent = "";
  $("scan-error").textContent = text;
}

function focusScan() {
  if (!$("view-sell").hidden && !document.querySelector("dialog[open]")) scan.focus();
}

function show(viewId) {
  for (const id of ["view-setup", "view-sell"]) $(id).hidden = id !== viewId;
  $("app-loading").hidden = true;
}

function newUuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // Plain-http LAN addresses are not a secure context and lack randomUUID; a version 4
  // UUID from the same random source.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// --- service worker ----------------------------------------------------------------

function registerWorker() {
  if (!("serviceWorker" in navigator)) return;
  // On the very first visit the page loads before the worker controls it, so its first
  // catalogue went past the worker's cache: ask the worker to fetch and keep it.
  if (!navigator.serviceWorker.controller) {
    navigator.serviceWorker.addEventListener("controllerchange", warmCaches, { once: true });
  }
  navigator.serviceWorker
    .register(config.urls.sw, { scope: config.urls.shell })
    .catch((error) => console.warn("POS service worker not registered:", error));
}

function warmCaches() {
  const urls = [config.urls.locations];
  if (app.session) urls.push(fill(config.urls.catalogue, { id: app.session.location.id }));
  navigator.serviceWorker.controller?.postMessage({ type: "warm", urls });
}

// --- banner: offline, waiting sales, login --------------------------------------------

function renderBanner(state) {
  const banner = $("net-banner");
  let text = "";
  let kind = "";
  if (state.authNeeded) {
    kind = "warn";
    text = config.strings.login_needed;
  } else if (!state.online) {
    kind = "offline";
    text = state.waiting ? tn("offline_waiting", state.waiting) : t("offline_none");
  } else if (state.waiting) {
    kind = state.error ? "warn" : "busy";
    text = state.error ? t("sync_failed", { x: state.error }) : tn("sending", state.waiting);
  }
  banner.hidden = !text;
  banner.className = `banner ${kind}`;
  banner.dataset.waiting = String(state.waiting);
  banner.dataset.online = String(state.online);
  banner.textContent = text;
  if (state.authNeeded) {
    const link = document.createElement("a");
    link.href = config.urls.login;
    link.textContent = t("log_in");
    banner.append(" ", link);
  }
  // Changing the language is a page load from the server.
  document.querySelector(".pos-lang button").disabled = !state.online;
}

async function onSyncChange(state) {
  const settled = app.syncState && state.waiting < app.syncState.waiting;
  app.syncState = state;
  renderBanner(state);
  if (!app.session) return;
  // Recorded sales changed the stock: the server's count is now the better one.
  if (settled && state.online) {
    await loadCatalogue();
    await loadSessionSales();
  }
  await refreshSales();
}

// --- setup: location and opening float ----------------------------------------------

async function showSetup(message = "") {
  show("view-setup");
  $("where").textContent = "";
  $("setup-error").textContent = message;
  let locations = [];
  try {
    locations = (await request(config.urls.locations)).data;
    if (!locations.length) $("setup-error").textContent = t("no_locations");
  } catch (error) {
    $("setup-error").textContent =
      error instanceof AuthError ? t("login_needed") : message || t("locations_missing");
  }
  renderLocations(locations);
}

function locationText(loc) {
  const place = [loc.venue, loc.city].filter(Boolean).join(", ");
  const dates = loc.starts_on ? `${loc.starts_on} – ${loc.ends_on || ""}` : "";
  return [place, dates, loc.lapas && loc.lapas.name].filter(Boolean).join(" · ");
}

function renderLocations(locations) {
  const list = $("location-list");
  list.replaceChildren();
  for (const loc of locations) {
    const label = document.createElement("label");
    label.className = "choice";
    const input = Object.assign(document.createElement("input"), {
      type: "radio",
      name: "location",
      value: String(loc.id),
    });
    input.location = loc;
    const name = Object.assign(document.createElement("strong"), { textContent: loc.name });
    const details = Object.assign(document.createElement("small"), {
      textContent: locationText(loc),
    });
    label.append(input, " ", name, " ", details);
    if (loc.open_session) {
      const open = t("open_since", { x: timeFormat.format(new Date(loc.open_session.opened_at)) });
      label.append(" ", Object.assign(document.createElement("em"), { textContent: open }));
    }
    list.append(label);
  }
  const only = list.querySelector("input");
  if (locations.length === 1) only.checked = true;
  updateSetupForm();
  (list.querySelector("input:checked") || only || $("opening-float")).focus();
}

function chosenLocation() {
  const input = document.querySelector("#location-list input:checked");
  return input ? input.location : null;
}

function updateSetupForm() {
  const loc = chosenLocation();
  const resume = !!(loc && loc.open_session);
  $("float-field").hidden = resume;
  $("open-button").textContent = resume ? t("continue_session") : t("open_session");
}

async function openSession(event) {
  event.preventDefault();
  const loc = chosenLocation();
  const error = $("setup-error");
  if (!loc) return;
  let session = loc.open_session;
  if (!session) {
    const float = parseRupiah($("opening-float").value);
    if (float === null) {
      error.textContent = t("float_needed");
      $("opening-float").focus();
      return;
    }
    try {
      const body = { location_id: loc.id, opening_float: String(float) };
      session = (await request(config.urls.sessions, { method: "POST", body })).data;
    } catch (failure) {
      // 409: this cashier already has a session open here; the answer carries it.
      const open = failure instanceof ApiError && failure.status === 409 && failure.body;
      session = open && (open.session || (open.id ? open : null));
      if (!session) {
        error.textContent =
          failure instanceof NetworkError ? t("needs_online") : failure.message;
        return;
      }
    }
  }
  const saved = {
    id: session.id,
    openedAt: session.opened_at,
    openingFloat: session.opening_float,
    userId: config.user.id,
    location: loc,
  };
  await stateSet("session", saved);
  await enterSell(saved);
}

/** Online, make sure the session on this device was not closed elsewhere meanwhile. */
async function checkSessionStillOpen() {
  let answer;
  try {
    answer = await request(config.urls.locations);
  } catch (error) {
    return; // offline: keep selling on the session we have
  }
  // Only the server's word closes a session here: the worker's stored copy of the list
  // may predate the session itself.
  if (answer.stale || !app.session) return;
  const loc = answer.data.find((l) => l.id === app.session.location.id);
  if (!loc || !loc.open_session || loc.open_session.id !== app.session.id) {
    await stateSet("session", null);
    app.session = null;
    await showSetup();
  } else {
    app.session.location = loc; // names and dates may have been edited
  }
}

// --- selling -------------------------------------------------------------------------

async function enterSell(session) {
  app.session = session;
  show("view-sell");
  $("where").textContent = `${session.location.name} · #${session.id}`;
  await loadCatalogue();
  await loadSessionSales();
  await refreshSales();
  renderCart();
  focusScan();
}

async function loadCatalogue() {
  if (!app.session) return;
  const url = fill(config.urls.catalogue, { id: app.session.location.id });
  try {
    const { data, stale } = await request(url);
    app.index = buildIndex(data);
    app.catalogueTime = Date.parse(data.generated_at) || 0;
    $("catalogue-note").textContent = stale
      ? t("catalogue_cached", { x: dateTimeFormat.format(new Date(data.generated_at)) })
      : "";
  } catch (error) {
    if (error instanceof ApiError) complain(error.message);
    else if (!app.index) complain(t("catalogue_missing"));
  }
}

/** Reads this device's sales again: for the session's list and the local stock. */
async function refreshSales() {
  if (!app.session) return;
  const [queued, done] = await Promise.all([queueAll(), doneAll()]);
  const here = (r) => r.locationId === app.session.location.id;
  // Sales the catalogue's quantities do not include yet count against them: decided by
  // the server's stock versions (order line numbers), not by clock times.
  app.sold = uncountedLines(
    app.index,
    queued.filter(here),
    done.filter(here),
    app.catalogueTime,
  );
  app.sales = mergeServerSales(
    [...queued, ...done].filter((r) => r.payload.session_id === app.session.id),
  ).sort((a, b) => b.payload.created_at.localeCompare(a.payload.created_at));
  renderRecent();
  renderDone();
  // A sale refused because its session was closed (from the dashboard, or on another
  // device): find out from the server, and go back to opening a session if so.
  if (app.sales.some((r) => r.result && r.result.code === "session_closed")) {
    checkSessionStillOpen();
  }
}

/** Reads the session's sales from the server: those of the other devices of the session
 * too, with the units of each line not yet given back. Offline, the device's own list is
 * all there is. */
async function loadSessionSales() {
  if (!app.session || !app.sync.online) return;
  try {
    const { data } = await request(`${config.urls.sessions}/${app.session.id}`);
    if (data && data.id === app.session.id) app.serverSales = data.sales || [];
  } catch (error) {
    // Offline or refused: keep the last list.
  }
}

/** The device's records with the server's sales added (made on another device) and the
 * server's word on what is left to void of each recorded sale. */
function mergeServerSales(records) {
  const known = new Map(records.map((record) => [record.uuid, record]));
  const merged = [...records];
  for (const sale of app.serverSales) {
    const record = known.get(sale.uuid);
    if (record) {
      if (record.result && record.result.status === "recorded" && sale.status === "recorded") {
        // In memory only: what is left to give back, counting voids made on any device.
        record.result = { ...record.result, lines: sale.lines };
        record.voids = [];
        record.voidedAmount = sale.voided;
      }
      continue;
    }
    merged.push({
      uuid: sale.uuid,
      fromServer: true,
      total: toAmount(sale.total),
      change: null,
      voids: [],
      voidedAmount: sale.voided,
      payload: {
        session_id: app.session.id,
        created_at: new Date(sale.created_at).toISOString(),
        payment: { method: sale.payment_method },
        lines: [],
      },
      result: {
        status: sale.status,
        order_number: sale.order_number,
        receipt_url: sale.receipt_url,
        lines: sale.lines,
        unverified: false,
      },
    });
  }
  return merged;
}

function batchLabel(code) {
  return code ? ` (${code})` : "";
}

function addToCart(product, batchCode) {
  // The gate at the till: the server says (in the catalogue) when a product may not be
  // sold — withdrawn, a licence expired, a compliance fact missing — and why.
  if (product.refusal) {
    complain(product.refusal);
    return false;
  }
  const batch = batchCode ? product.batches.find((b) => b.code === batchCode) : null;
  if (batch && isExpired(batch)) {
    complain(t("batch_expired", { x: batch.code }));
    return false;
  }
  if (unitsLeft(product, batchCode, app.sold, app.cart.saleLines()) < 1) {
    complain(t("no_stock", { x: product.title + batchLabel(batchCode) }));
    return false;
  }
  app.cart.add(product, batchCode);
  renderCart();
  say(t("added", { x: product.title + batchLabel(batchCode) }));
  return true;
}

function handleScan(raw) {
  const text = String(raw || "").trim();
  if (!text) return;
  if (!app.index) {
    complain(t("catalogue_missing"));
    return;
  }
  const found = lookup(app.index, text);
  const matches = found.matches || [];
  if (found.product || matches.length === 1) {
    const product = found.product || matches[0];
    if (addToCart(product, found.batch ? found.batch.code : null)) {
      scan.value = "";
      renderResults([]);
    } else {
      scan.select(); // the next scan replaces the text
    }
  } else if (matches.length > 1) {
    renderResults(matches);
    say(t("matches", { n: matches.length }));
  } else {
    renderResults([]);
    complain(t("not_found", { x: text }));
    scan.select();
  }
}

function renderResults(products) {
  const list = $("search-results");
  list.replaceChildren();
  for (const product of products) {
    const left = unitsLeft(product, null, app.sold, app.cart.saleLines());
    const button = Object.assign(document.createElement("button"), { type: "button" });
    button.textContent = `${product.title} · ${rupiah(product.amount)} · ${t("in_stock", { n: left })}`;
    button.addEventListener("click", () => {
      if (addToCart(product, null)) {
        scan.value = "";
        renderResults([]);
      }
      scan.focus();
    });
    const item = document.createElement("li");
    item.append(button);
    list.append(item);
  }
}

function renderCart() {
  const body = $("cart-lines");
  const template = $("tpl-cart-line");
  body.replaceChildren();
  for (const line of app.cart.lines) {
    const row = template.content.firstElementChild.cloneNode(true);
    row.dataset.key = line.key;
    row.classList.toggle("selected", line.key === app.cart.selected);
    row.querySelector(".line-title").textContent = line.product.title;
    row.querySelector(".line-batch").textContent = line.batchCode ? ` ${line.batchCode}` : "";
    row.querySelector(".qty-value").textContent = String(line.quantity);
    row.querySelector(".line-amount").textContent = rupiah(line.product.amount * line.quantity);
    row.querySelector(".qty-plus").addEventListener("click", () => changeLine(line.key, 1));
    row.querySelector(".qty-minus").addEventListener("click", () => changeLine(line.key, -1));
    row.querySelector(".line-remove").addEventListener("click", () => removeLine(line.key));
    body.append(row);
  }
  $("cart-empty").hidden = app.cart.lines.length > 0;
  $("cart-total").textContent = rupiah(app.cart.total);
}

function changeLine(key, delta) {
  const line = app.cart.find(key);
  if (!line) return;
  if (delta > 0 && unitsLeft(line.product, line.batchCode, app.sold, app.cart.saleLines()) < 1) {
    complain(t("no_stock", { x: line.product.title + batchLabel(line.batchCode) }));
    return;
  }
  app.cart.change(key, delta);
  renderCart();
  say(
    line.quantity > 0
      ? t("quantity", { x: line.product.title, n: line.quantity })
      : t("removed", { x: line.product.title }),
  );
}

function removeLine(key) {
  const line = app.cart.find(key);
  if (!line) return;
  app.cart.remove(key);
  renderCart();
  say(t("removed", { x: line.product.title }));
  focusScan();
}

function moveSelection(step) {
  const lines = app.cart.lines;
  if (!lines.length) return;
  const at = lines.findIndex((line) => line.key === app.cart.selected);
  const next = lines[Math.max(0, Math.min(lines.length - 1, at + step))];
  app.cart.selected = next.key;
  renderCart();
  say(t("quantity", { x: next.product.title, n: next.quantity }));
}

// --- payment -------------------------------------------------------------------------

function openPayment(method) {
  if (!app.cart.lines.length) {
    complain(t("cart_empty"));
    return;
  }
  const dialog = $(`dlg-${method}`);
  const form = dialog.querySelector("form");
  form.reset();
  form.querySelector(".form-error").textContent = "";
  for (const due of form.querySelectorAll(".due-amount")) due.textContent = rupiah(app.cart.total);
  const note = form.querySelector(".offline-note");
  if (note) note.hidden = app.sync.online;
  if (method === "cash") renderQuickAmounts();
  if (method === "qris") {
    const url = app.index && app.index.catalogue.qris_image_url;
    $("qris-image").hidden = !url;
    if (url) $("qris-image").src = url;
    $("qris-missing").hidden = !!url;
    form.querySelector("[type=submit]").disabled = !url;
  }
  updateChange();
  dialog.showModal();
  form.querySelector("input").focus();
}

function renderQuickAmounts() {
  const box = $("quick-amounts");
  box.replaceChildren();
  for (const amount of quickAmounts(app.cart.total)) {
    const button = Object.assign(document.createElement("button"), {
      type: "button",
      textContent: rupiah(amount),
    });
    button.addEventListener("click", () => {
      $("tendered").value = String(amount);
      updateChange();
      $("dlg-cash").querySelector("[type=submit]").focus(); // Enter confirms
    });
    box.append(button);
  }
}

function updateChange() {
  const tendered = parseRupiah($("tendered").value);
  const change = tendered === null ? 0 : tendered - app.cart.total;
  $("change").textContent = rupiah(Math.max(0, change));
}

async function submitPayment(event) {
  event.preventDefault();
  const form = event.target;
  const method = form.dataset.method;
  const error = form.querySelector(".form-error");
  const total = app.cart.total;
  const payment = { method, tendered: null, reference: "" };
  if (method === "cash") {
    const tendered = parseRupiah($("tendered").value);
    if (tendered === null || tendered < total) {
      error.textContent = t("tendered_short");
      $("tendered").focus();
      return;
    }
    payment.tendered = String(tendered);
  } else {
    if (method === "qris" && !$("qris-received").checked) {
      error.textContent = t("qris_confirm_needed");
      $("qris-received").focus();
      return;
    }
    const reference = form.querySelector("[name=reference]");
    payment.reference = reference.value.trim();
    if (!payment.reference) {
      error.textContent = t("reference_needed");
      reference.focus();
      return;
    }
  }
  try {
    await recordSale(payment, total);
  } catch (failure) {
    // Not saved: the cart stays as it was, so nothing is lost or doubled.
    error.textContent = failure.message;
    return;
  }
  form.closest("dialog").close();
  showDone();
}

async function recordSale(payment, total) {
  const payload = {
    uuid: newUuid(),
    session_id: app.session.id,
    created_at: new Date().toISOString(),
    lines: app.cart.saleLines(),
    payment,
    // Card and QRIS taken without a connection are checked by a supervisor later.
    offline: !app.sync.online,
  };
  const record = {
    uuid: payload.uuid,
    userId: config.user.id,
    locationId: app.session.location.id,
    payload,
    total,
    change: payment.tendered === null ? null : toAmount(payment.tendered) - total,
    lastError: "",
  };
  // Stored first: once this resolves, the sale survives a reload, a crash or a dead battery.
  await queueAdd(record);
  app.lastSale = record.uuid;
  say(""); // the last "added" line belongs to the sale just finished
  app.cart.clear();
  renderCart();
  renderResults([]);
  await refreshSales();
  app.sync.run();
}

function setReceiptLinks(container, result) {
  const ok = result && result.receipt_url;
  container.hidden = !ok;
  if (!ok) return;
  const url = new URL(result.receipt_url, window.location.href);
  const width = (w) => {
    const u = new URL(url);
    u.searchParams.set("width", w);
    return u.pathname + u.search;
  };
  container.querySelector(".r58").href = width("58");
  container.querySelector(".r80").href = width("80");
  container.querySelector(".rpdf").href =
    result.receipt_pdf_url || `${url.pathname.replace(/\/$/, "")}.pdf`;
}

function statusText(record) {
  if (!record.result) return record.lastError || t("status_queued");
  const status = t(`status_${record.result.status}`);
  return record.result.message ? `${status}: ${record.result.message}` : status;
}

function showDone() {
  const dialog = $("dlg-done");
  renderDone();
  dialog.showModal();
}

function renderDone() {
  const record = app.sales.find((r) => r.uuid === app.lastSale);
  if (!record) return;
  const change = $("done-change");
  change.hidden = record.change === null;
  change.querySelector("output").textContent = rupiah(record.change || 0);
  const status = $("done-status");
  status.dataset.status = record.result ? record.result.status : "queued";
  if (!record.result) {
    status.textContent = record.payload.offline || !app.sync.online
      ? t("saved_offline")
      : t("saved_sending");
  } else {
    const number = record.result.order_number
      ? ` · ${t("receipt_number", { x: record.result.order_number })}`
      : "";
    status.textContent = statusText(record) + number;
  }
  setReceiptLinks($("done-receipt"), record.result);
}

function renderRecent() {
  const list = $("recent-sales");
  const template = $("tpl-sale");
  list.replaceChildren();
  for (const record of app.sales.slice(0, 30)) {
    const item = template.content.firstElementChild.cloneNode(true);
    const result = record.result;
    item.dataset.uuid = record.uuid;
    item.dataset.status = result ? result.status : "queued";
    item.querySelector(".sale-time").textContent = timeFormat.format(
      new Date(record.payload.created_at),
    );
    item.querySelector(".sale-total").textContent = rupiah(record.total);
    item.querySelector(".sale-method").textContent = t(`method_${record.payload.payment.method}`);
    const badge = item.querySelector(".sale-status");
    badge.textContent = t(`status_${item.dataset.status}`);
    badge.classList.add(item.dataset.status);
    const unverified = result
      ? result.unverified
      : record.payload.offline && record.payload.payment.method !== "cash";
    item.querySelector(".sale-unverified").hidden = !unverified;
    if (result && result.order_number) {
      item.querySelector(".sale-number").textContent = t("receipt_number", {
        x: result.order_number,
      });
    }
    setReceiptLinks(item.querySelector(".sale-receipt"), result);
    const voided =
      toAmount(record.voidedAmount || 0) +
      (record.voids || []).reduce((sum, v) => sum + toAmount(v.amount), 0);
    item.querySelector(".sale-voided").hidden = !voided;
    item.querySelector(".sale-voided").textContent = t("voided", { x: rupiah(voided) });
    const voidButton = item.querySelector(".sale-void");
    voidButton.hidden = !voidableLines(record).length;
    voidButton.addEventListener("click", () => openVoid(record));
    item.querySelector(".sale-message").textContent =
      (result && result.message) || record.lastError || "";
    list.append(item);
  }
  $("recent-empty").hidden = app.sales.length > 0;
}

// --- voids (supervisor PIN) ------------------------------------------------------------

/** Lines of a recorded sale with units not yet given back: [{line, left}]. */
function voidableLines(record) {
  if (!record.result || record.result.status !== "recorded") return [];
  const back = {};
  for (const v of record.voids || []) {
    for (const [id, quantity] of Object.entries(v.lines)) back[id] = (back[id] || 0) + quantity;
  }
  return (record.result.lines || [])
    .map((line) => ({ line, left: line.quantity - (back[line.line_id] || 0) }))
    .filter((entry) => entry.left > 0);
}

function openVoid(record) {
  if (!app.sync.online) {
    complain(t("needs_online"));
    return;
  }
  // One token per attempt: a retried or double-clicked request is the same void.
  app.voiding = { record, token: newUuid() };
  const form = $("void-form");
  form.reset();
  form.querySelector(".form-error").textContent = "";
  form.querySelector("[type=submit]").disabled = false;
  $("void-number").textContent = t("receipt_number", { x: record.result.order_number });
  const body = $("void-lines");
  body.replaceChildren();
  for (const { line, left } of voidableLines(record)) {
    // The name as sold (the server's answer), else the catalogue's: never a bare id, also
    // when the product is sold out here and gone from this location's catalogue.
    const product = app.index && app.index.products.get(line.product_id);
    const title = line.title || (product ? product.title : t("unknown_item"));
    const row = document.createElement("tr");
    const input = Object.assign(document.createElement("input"), {
      type: "number",
      min: "0",
      max: String(left),
      value: String(left),
      inputMode: "numeric",
    });
    input.dataset.line = String(line.line_id);
    input.setAttribute("aria-label", title);
    const cells = [title, String(left)].map((text) =>
      Object.assign(document.createElement("td"), { textContent: text }),
    );
    cells[1].className = "num";
    const last = Object.assign(document.createElement("td"), { className: "num" });
    last.append(input);
    row.append(...cells, last);
    body.append(row);
  }
  $("dlg-void").showModal();
  $("void-reason").focus();
}

async function submitVoid(event) {
  event.preventDefault();
  const { record, token } = app.voiding;
  const form = $("void-form");
  const error = form.querySelector(".form-error");
  const open = voidableLines(record);
  const chosen = [...form.querySelectorAll("#void-lines input")].map((input) => {
    const left = Number(input.max);
    const quantity = Math.min(left, Math.max(0, Number.parseInt(input.value, 10) || 0));
    return { line_id: Number(input.dataset.line), quantity, left };
  });
  const lines = chosen.filter((line) => line.quantity > 0);
  if (!lines.length) {
    error.textContent = t("void_nothing");
    return;
  }
  // Nothing given back yet and everything now: the whole sale (the API's lines: null).
  const whole =
    !(record.voids || []).length &&
    lines.length === open.length &&
    lines.every((line) => line.quantity === line.left);
  const body = {
    pin: $("void-pin").value.trim(),
    reason: $("void-reason").value.trim(),
    lines: whole ? null : lines.map(({ line_id, quantity }) => ({ line_id, quantity })),
    token,
  };
  const submit = form.querySelector("[type=submit]");
  submit.disabled = true;
  let data;
  try {
    const url = fill(config.urls.void, { number: record.result.order_number });
    data = (await request(url, { method: "POST", body })).data;
  } catch (failure) {
    submit.disabled = false;
    error.textContent = failure instanceof NetworkError ? t("needs_online") : failure.message;
    if (failure instanceof ApiError && failure.code === "wrong_pin") {
      $("void-pin").value = "";
      $("void-pin").focus();
    }
    return;
  }
  const given = Object.fromEntries(lines.map((line) => [line.line_id, line.quantity]));
  const voids = [...(record.voids || []), { amount: data.amount, lines: given }];
  // A sale made on another device is not stored here: the server's list says what is left.
  if (!record.fromServer) await donePut({ ...record, voids });
  $("dlg-void").close();
  say(t("voided", { x: rupiah(toAmount(data.amount)) }));
  await loadCatalogue(); // the units are back on the shelf
  await loadSessionSales();
  await refreshSales();
}

// --- closing the session -------------------------------------------------------------

function countedCash() {
  const counted = {};
  let total = 0;
  for (const input of document.querySelectorAll("#close-count input.den")) {
    const count = Math.max(0, Number.parseInt(input.value, 10) || 0);
    const value = Number(input.dataset.value);
    // Rp1.000 comes as a note and as a coin; the API counts by value.
    counted[input.dataset.value] = (counted[input.dataset.value] || 0) + count;
    input.closest("tr").querySelector(".den-amount").textContent = rupiah(count * value);
    total += count * value;
  }
  $("counted-total").textContent = rupiah(total);
  return { counted, total };
}

async function waitingSales() {
  return (await queueAll()).filter((r) => r.userId === config.user.id).length;
}

async function openClose() {
  const dialog = $("dlg-close");
  const form = $("close-form");
  form.reset();
  $("close-count").hidden = false;
  $("close-result").hidden = true;
  countedCash();
  const waiting = await waitingSales();
  $("close-blocked").textContent = waiting ? t("close_queued", { n: waiting }) : "";
  $("close-submit").disabled = waiting > 0;
  dialog.showModal();
  form.querySelector("input.den").focus();
}

async function submitClose(event) {
  event.preventDefault();
  const blocked = $("close-blocked");
  const waiting = await waitingSales();
  if (waiting) {
    // Sales still on the device would be missing from the count and the Z report.
    blocked.textContent = t("close_queued", { n: waiting });
    return;
  }
  const { counted } = countedCash();
  const reason = $("close-reason").value.trim();
  let data;
  try {
    const url = fill(config.urls.sessionClose, { id: app.session.id });
    data = (await request(url, { method: "POST", body: { counted, reason } })).data;
  } catch (error) {
    blocked.textContent = error instanceof NetworkError ? t("needs_online") : error.message;
    if (error instanceof ApiError && error.status === 400) $("close-reason").focus();
    return;
  }
  await stateSet("session", null);
  app.session = null;
  showCloseResult(data);
}

function showCloseResult(data) {
  const expected = data.expected || {};
  $("exp-cash").textContent = rupiah(toAmount(expected.cash || 0));
  $("exp-qris").textContent = rupiah(toAmount(expected.qris || 0));
  $("exp-card").textContent = rupiah(toAmount(expected.card_terminal || 0));
  $("cnt-cash").textContent = rupiah(toAmount(data.counted_cash || 0));
  $("close-difference").textContent = rupiah(toAmount(data.difference || 0));
  $("zreport-html").href = data.z_report_url;
  $("zreport-pdf").href = data.z_report_pdf_url;
  $("close-count").hidden = true;
  $("close-result").hidden = false;
  $("zreport-html").focus();
}

// --- wiring --------------------------------------------------------------------------

function isTextField(element) {
  return element.matches("input:not([type=checkbox]):not([type=radio]), textarea, select");
}

function onKeyDown(event) {
  if (document.querySelector("dialog[open]") || $("view-sell").hidden) return;
  const methods = { F2: "cash", F3: "qris", F4: "card_terminal" };
  if (methods[event.key]) {
    event.preventDefault();
    openPayment(methods[event.key]);
    return;
  }
  if (event.key === "F9") {
    event.preventDefault();
    openClose();
    return;
  }
  if (event.target === scan && scan.value === "") {
    const keys = {
      "+": () => changeLine(app.cart.selected, 1),
      "-": () => changeLine(app.cart.selected, -1),
      Delete: () => removeLine(app.cart.selected),
      ArrowUp: () => moveSelection(-1),
      ArrowDown: () => moveSelection(1),
    };
    if (keys[event.key]) {
      event.preventDefault();
      keys[event.key]();
    }
    return;
  }
  if (event.target === scan && event.key === "ArrowDown") {
    const first = $("search-results").querySelector("button");
    if (first) {
      event.preventDefault();
      first.focus();
    }
    return;
  }
  if (event.target.closest("#search-results") && event.key.startsWith("Arrow")) {
    event.preventDefault();
    const item = event.target.closest("li");
    const next = event.key === "ArrowDown" ? item.nextElementSibling : item.previousElementSibling;
    (next ? next.querySelector("button") : scan).focus();
    return;
  }
  // A USB scanner types into whatever has the focus: a code that starts while a button
  // has it goes to the scan field instead of being lost.
  const printable = event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey;
  if (printable && !isTextField(event.target)) scan.focus();
}

function wire() {
  $("open-form").addEventListener("submit", openSession);
  $("location-list").addEventListener("change", updateSetupForm);
  $("scan-form").addEventListener("submit", (event) => {
    event.preventDefault();
    handleScan(scan.value);
  });
  scan.addEventListener("input", () => {
    // Typing a name shows what matches; a scanner's code matches nothing by name.
    const text = scan.value.trim();
    renderResults(text.length >= 2 && app.index ? search(app.index, text) : []);
  });
  document.addEventListener("keydown", onKeyDown);
  // A tap on empty space gives the focus back to the scan field (never stealing it from
  // another field or button the cashier chose).
  document.addEventListener("click", (event) => {
    if (!event.target.closest("a, button, input, select, textarea, label, dialog")) focusScan();
  });
  for (const button of document.querySelectorAll("[data-pay]")) {
    button.addEventListener("click", () => openPayment(button.dataset.pay));
  }
  $("clear-cart").addEventListener("click", () => {
    app.cart.clear();
    renderCart();
    focusScan();
  });
  for (const form of document.querySelectorAll(".pay-form")) {
    form.addEventListener("submit", submitPayment);
  }
  $("tendered").addEventListener("input", updateChange);
  for (const cancel of document.querySelectorAll("dialog .cancel")) {
    cancel.addEventListener("click", () => cancel.closest("dialog").close());
  }
  for (const dialog of document.querySelectorAll("dialog")) {
    dialog.addEventListener("close", focusScan);
  }
  $("close-session-button").addEventListener("click", openClose);
  $("void-form").addEventListener("submit", submitVoid);
  $("close-form").addEventListener("input", () => countedCash());
  $("close-form").addEventListener("submit", submitClose);
  $("close-done").addEventListener("click", () => $("dlg-close").close());
  $("dlg-close").addEventListener("close", () => {
    if (!app.session) showSetup();
  });
  if (cameraAvailable()) {
    $("camera-button").hidden = false;
    $("camera-button").addEventListener("click", openCamera);
  }
}

async function openCamera() {
  const dialog = $("dlg-camera");
  const error = dialog.querySelector(".form-error");
  error.textContent = "";
  const stop = new AbortController();
  dialog.addEventListener("close", () => stop.abort(), { once: true });
  dialog.showModal();
  try {
    const code = await scanWithCamera($("camera-video"), stop.signal);
    if (code) {
      dialog.close();
      handleScan(code);
    }
  } catch (failure) {
    error.textContent = t("camera_error", { x: failure.message });
  }
}

async function start() {
  wire();
  registerWorker();
  await openDb();
  pruneDone().catch(() => null);
  app.sync = createSync({ url: config.urls.sync, userId: config.user.id, onChange: onSyncChange });
  // Waiting sales go as soon as the page is up, not after the catalogue has loaded (which,
  // after an offline reload, may wait for the worker's network timeout first).
  app.sync.run();
  const saved = await stateGet("session");
  if (saved && saved.userId === config.user.id) {
    await enterSell(saved);
    checkSessionStillOpen();
  } else {
    await showSetup();
  }
  app.sync.run();
  // Sales made on the session's other devices appear here within half a minute.
  setInterval(async () => {
    if (!app.session || document.visibilityState !== "visible") return;
    await loadSessionSales();
    await refreshSales();
  }, 30000);
}

start();
