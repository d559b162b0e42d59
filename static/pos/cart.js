// The sale being rung up. A line is one product from one batch (or from "any batch" when
// the product was found by SKU or name): the same label scanned twice adds a unit.

export class Cart {
  constructor() {
    this.lines = [];
    this.selected = null; // key of the line + and − act on
  }

  static key(productId, batchCode) {
    return `${productId}:${batchCode || ""}`;
  }

  find(key) {
    return this.lines.find((line) => line.key === key) || null;
  }

  add(product, batchCode) {
    const key = Cart.key(product.id, batchCode);
    let line = this.find(key);
    if (line) {
      line.quantity += 1;
    } else {
      line = { key, product, batchCode: batchCode || null, quantity: 1 };
      this.lines.push(line);
    }
    this.selected = key;
    return line;
  }

  change(key, delta) {
    const line = this.find(key);
    if (!line) return null;
    line.quantity += delta;
    this.selected = key;
    if (line.quantity <= 0) this.remove(key);
    return line;
  }

  remove(key) {
    const at = this.lines.findIndex((line) => line.key === key);
    if (at < 0) return;
    this.lines.splice(at, 1);
    // Keep a selection so the keyboard can go on with the neighbouring line.
    const next = this.lines[Math.min(at, this.lines.length - 1)];
    this.selected = next ? next.key : null;
  }

  clear() {
    this.lines = [];
    this.selected = null;
  }

  get total() {
    return this.lines.reduce((sum, line) => sum + line.product.amount * line.quantity, 0);
  }

  /** In the shape of the API's sale lines (the price the cashier charges). */
  saleLines() {
    return this.lines.map((line) => ({
      product_id: line.product.id,
      batch_code: line.batchCode,
      quantity: line.quantity,
      unit_price: String(line.product.amount),
    }));
  }
}
