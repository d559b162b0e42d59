// The location's catalogue (GET /api/v1/pos/locations/{id}/catalogue): what is for sale
// here, at which price, from which batches, and how many units are left.

import { toAmount } from "./money.js";

const norm = (text) => String(text ?? "").trim().toUpperCase();

/** A scanned batch label's QR code holds the trace URL (/trace/<code>/); a USB scanner
 * reading it types that URL. Either way the batch code is what we look up. */
export function scannedCode(raw) {
  const text = String(raw ?? "").trim();
  const trace = text.match(/\/trace\/([^/?#\s]+)\/?/);
  return trace ? decodeURIComponent(trace[1]) : text;
}

const GS = "\u001d"; // FNC1 inside a GS1 element string, as scanners send it
// Fixed-length GS1 Application Identifiers that may stand before the batch (AI 10).
const GS1_FIXED = { "00": 18, "01": 14, "02": 14, 11: 6, 12: 6, 13: 6, 15: 6, 16: 6, 17: 6 };

/**
 * The batch (AI 10) in a scanned GS1-128 or GS1 DataMatrix, or null when the text is not
 * a GS1 element string. Scanners send one with its symbology prefix ("]C1", "]d2") and
 * FNC1 as the GS character, or without a prefix; a person may type the human-readable
 * form printed under the bars, "(17)261126(10)TNG-ROTI-261122-01".
 */
export function gs1Batch(raw) {
  let text = String(raw ?? "").trim();
  if (text.startsWith("(")) {
    const batch = [...text.matchAll(/\((\d{2,4})\)([^(]*)/g)].find(([, ai]) => ai === "10");
    return batch ? batch[2].trim() || null : null;
  }
  if (/^\](C1|d2|Q3|e0)/.test(text)) text = text.slice(3);
  let at = text.startsWith(GS) ? 1 : 0;
  while (at < text.length) {
    const ai = text.slice(at, at + 2);
    if (ai === "10") {
      const end = text.indexOf(GS, at + 2);
      return text.slice(at + 2, end < 0 ? undefined : end) || null;
    }
    const length = GS1_FIXED[ai];
    const value = text.slice(at + 2, at + 2 + length);
    if (!length || value.length !== length || !/^\d+$/.test(value)) return null;
    at += 2 + length;
    if (text[at] === GS) at += 1;
  }
  return null;
}

export function buildIndex(catalogue) {
  const index = { catalogue, products: new Map(), codes: new Map(), skus: new Map() };
  for (const product of catalogue.products) {
    product.amount = toAmount(product.price);
    index.products.set(product.id, product);
    for (const batch of product.batches) {
      index.codes.set(norm(batch.code), { product, batch });
      if (batch.barcode) index.codes.set(norm(batch.barcode), { product, batch });
    }
    if (product.sku) index.skus.set(norm(product.sku), product);
    if (product.upc) index.skus.set(norm(product.upc), product);
  }
  return index;
}

/**
 * What a scan or a typed text means, in the order a cashier expects:
 * a batch label (its QR code, its GS1 barcode or the plain batch code) pins product and
 * batch; a SKU or UPC the product (the server picks the
 * batch, first-expiring first); anything else searches the titles.
 */
export function lookup(index, raw) {
  const code = norm(scannedCode(raw));
  if (!code) return { kind: "none", matches: [] };
  // The plain batch code first; a GS1 barcode's batch only when the text is not a code.
  const byBatch = index.codes.get(code) ?? index.codes.get(norm(gs1Batch(raw)));
  if (byBatch) return { kind: "batch", product: byBatch.product, batch: byBatch.batch };
  const bySku = index.skus.get(code);
  if (bySku) return { kind: "product", product: bySku, batch: null };
  return { kind: "search", matches: search(index, raw) };
}

export function search(index, text, limit = 12) {
  const words = norm(text).split(/\s+/).filter(Boolean);
  if (!words.length) return [];
  const found = [];
  for (const product of index.products.values()) {
    const title = norm(product.title);
    if (words.every((word) => title.includes(word))) found.push(product);
    if (found.length >= limit) break;
  }
  return found;
}

/**
 * Units of this product (and, if given, this batch) that may still be sold here: the
 * catalogue's count less what this device sold that the catalogue cannot know about
 * yet (sales queued offline, or recorded after the catalogue was made) and less what is
 * already in the cart. Lines sold without a batch (by SKU) count against the product.
 */
export function unitsLeft(product, batchCode, soldLines, cartLines) {
  const lines = [...soldLines, ...cartLines].filter((l) => l.product_id === product.id);
  const taken = (filter) => lines.filter(filter).reduce((sum, l) => sum + l.quantity, 0);
  // A batch that expired while the device was offline no longer counts.
  const units = product.batches.filter((b) => !isExpired(b)).reduce((n, b) => n + b.quantity, 0);
  const productLeft = units - taken(() => true);
  if (!batchCode) return productLeft;
  const batch = product.batches.find((b) => b.code === batchCode);
  const batchLeft = (batch ? batch.quantity : 0) - taken((l) => l.batch_code === batchCode);
  return Math.min(productLeft, batchLeft);
}

/**
 * The lines of this device's sales that the catalogue's quantities do not include yet:
 * every sale still queued, and each recorded sale whose order lines are numbered above
 * the catalogue's stock_version for their product (the highest line number that took
 * units of it here when the catalogue was made; the server writes a line while the
 * product's stock there is locked, so the numbers follow the order the sales happened).
 * Without numbers (a catalogue cached by an older version) the answer's time decides,
 * with a second of slack: the Date header has whole seconds, and selling one unit too few
 * for a moment beats selling one too many.
 */
export function uncountedLines(index, queued, done, catalogueTime) {
  const counted = (record, line) => {
    const product = index && index.products.get(line.product_id);
    const numbers = ((record.result && record.result.lines) || [])
      .filter((l) => l.product_id === line.product_id)
      .map((l) => l.line_id);
    if (!product || product.stock_version == null || !numbers.length) {
      return record.settledAt + 1000 <= catalogueTime;
    }
    return Math.max(...numbers) <= product.stock_version;
  };
  const recorded = done.filter((r) => r.result && r.result.status === "recorded");
  return [
    ...queued.flatMap((r) => r.payload.lines),
    ...recorded.flatMap((r) => r.payload.lines.filter((line) => !counted(r, line))),
  ];
}

export function isExpired(batch, today = new Date()) {
  if (!batch || !batch.expiry_date) return false;
  // Compared as local dates: a batch that expires today may still be sold today.
  const local = new Date(today.getTime() - today.getTimezoneOffset() * 60000);
  return batch.expiry_date < local.toISOString().slice(0, 10);
}
