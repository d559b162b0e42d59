// The device's memory of the POS, in IndexedDB:
//   queue   sales not yet answered by the server (the money is already taken: a sale is
//           written here before anything else happens to it)
//   done    sales with the server's answer, kept for receipts and the session's list
//   state   small settings: the open session
// Every write asks for "strict" durability: Chrome otherwise reports success before the
// data reaches the disk, and a sale must survive the tablet's battery dying.

const DB_NAME = "karya-pos";
const DB_VERSION = 1;
const DONE_KEEP_DAYS = 30;

let opening = null;

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export function openDb() {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore("queue", { keyPath: "uuid" });
      db.createObjectStore("done", { keyPath: "uuid" });
      db.createObjectStore("state", { keyPath: "key" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opening;
}

/** Runs fn(stores) in one transaction; resolves once it is committed to disk. */
async function transact(names, mode, fn) {
  const db = await openDb();
  const tx = db.transaction(names, mode, { durability: "strict" });
  const stores = Object.fromEntries(names.map((name) => [name, tx.objectStore(name)]));
  const result = fn(stores);
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error("IndexedDB transaction aborted"));
  });
  return result instanceof IDBRequest ? result.result : result;
}

export function queueAdd(record) {
  // add(), not put(): a second write of the same sale is a bug to hear about.
  return transact(["queue"], "readwrite", (s) => s.queue.add(record));
}

export function queuePut(record) {
  return transact(["queue"], "readwrite", (s) => s.queue.put(record));
}

export function queueAll() {
  return transact(["queue"], "readonly", (s) => s.queue.getAll()).then((records) =>
    records.sort((a, b) => a.payload.created_at.localeCompare(b.payload.created_at)),
  );
}

export function donePut(record) {
  return transact(["done"], "readwrite", (s) => s.done.put(record));
}

export function doneAll() {
  return transact(["done"], "readonly", (s) => s.done.getAll());
}

/** Moves answered sales from the queue to "done", in one transaction, so a sale is never
 * in both or in neither. serverTime is the server's clock at the answer (ms). */
export function settle(records, results, serverTime) {
  const byUuid = new Map(records.map((r) => [r.uuid, r]));
  return transact(["queue", "done"], "readwrite", (s) => {
    for (const result of results) {
      const record = byUuid.get(result.uuid);
      if (!record) continue;
      s.done.put({ ...record, lastError: "", result, settledAt: serverTime });
      s.queue.delete(result.uuid);
    }
  });
}

export async function pruneDone() {
  const limit = Date.now() - DONE_KEEP_DAYS * 24 * 3600 * 1000;
  const old = (await doneAll()).filter((r) => Date.parse(r.payload.created_at) < limit);
  if (old.length) {
    await transact(["done"], "readwrite", (s) => old.forEach((r) => s.done.delete(r.uuid)));
  }
}

export async function stateGet(key) {
  const row = await transact(["state"], "readonly", (s) => s.state.get(key));
  return row ? row.value : null;
}

export function stateSet(key, value) {
  return transact(["state"], "readwrite", (s) =>
    value == null ? s.state.delete(key) : s.state.put({ key, value }),
  );
}
