// Rupiah are whole numbers: amounts are kept as integers (Number is exact far beyond
// any sale) and sent to the server as strings of digits.

const formatter = new Intl.NumberFormat("id-ID", {
  style: "currency",
  currency: "IDR",
  minimumFractionDigits: 0,
  maximumFractionDigits: 0,
});

/** 150000 → "Rp150.000" (the shop writes no space after "Rp"). */
export function rupiah(amount) {
  return formatter.format(amount).replace(/\s/g, "");
}

/** What a cashier types ("200.000", "Rp 200000", "200000") → 200000; "" → null. */
export function parseRupiah(text) {
  const digits = String(text ?? "").replace(/[^0-9]/g, "");
  return digits ? Number.parseInt(digits, 10) : null;
}

/** The server's price strings ("150000" or "150000.00") → 150000. */
export function toAmount(value) {
  return Math.round(Number(value));
}

/** Amounts a buyer is likely to hand over for this total, smallest first. */
export function quickAmounts(total) {
  const steps = [5000, 10000, 20000, 50000, 100000];
  const amounts = new Set([total]);
  for (const step of steps) {
    const rounded = Math.ceil(total / step) * step;
    if (rounded > total) amounts.add(rounded);
  }
  return [...amounts].sort((a, b) => a - b).slice(0, 5);
}
