// Sends the queued sales to POST /api/v1/pos/sales/sync and files the answers.
//
// The server applies each sale's UUID once and answers a resent UUID with the original
// result, so sending again is always safe; what must never happen is losing a sale. So:
// a sale leaves the queue only in the same IndexedDB transaction that stores its answer
// (recorded, conflict or rejected). No answer (network down, server error) → it stays,
// and the loop tries again with a growing pause, at once when the browser says it is
// online again, and every PERIOD_MS anyway (a booth's Wi-Fi can be "online" without
// internet).

import { ApiError, AuthError, NetworkError, request } from "./api.js";
import { queueAll, queuePut, settle } from "./db.js";

const BATCH_SIZE = 25;
const PERIOD_MS = 30000;
const MAX_PAUSE_MS = 60000;
const FINAL = new Set(["recorded", "conflict", "rejected"]);

export function createSync({ url, userId, onChange }) {
  const state = {
    waiting: 0, // sales of this user still in the queue
    sending: false,
    reachable: navigator.onLine, // the last attempt reached the server
    authNeeded: false,
    error: "", // the last reason sales were not sent, for the banner
  };
  let failures = 0;
  let timer = null;
  let again = false;
  let running = false;

  const online = () => navigator.onLine && state.reachable;

  async function mine() {
    // Sales of another cashier on a shared tablet wait for that cashier's login.
    return (await queueAll()).filter((record) => record.userId === userId);
  }

  async function send(records) {
    const { data, serverTime } = await request(url, {
      method: "POST",
      body: { sales: records.map((record) => record.payload) },
    });
    const results = (data.results || []).filter((result) => FINAL.has(result.status));
    await settle(records, results, serverTime);
    return results;
  }

  async function sendAll() {
    const queued = await mine();
    for (let at = 0; at < queued.length; at += BATCH_SIZE) {
      const batch = queued.slice(at, at + BATCH_SIZE);
      try {
        await send(batch);
      } catch (error) {
        // A batch the server refuses as a whole (4xx) may hold one malformed sale: send
        // them one by one so the others get through; the bad one stays, with the reason.
        if (!(error instanceof ApiError) || error.status >= 500) throw error;
        for (const record of batch) {
          try {
            await send([record]);
          } catch (single) {
            if (!(single instanceof ApiError) || single.status >= 500) throw single;
            await queuePut({ ...record, lastError: single.message });
            state.error = single.message;
          }
        }
      }
    }
  }

  async function attempt() {
    state.sending = true;
    state.error = "";
    report();
    try {
      // Two open tabs may send the same sale at once: the server answers both with the
      // one result, and filing an answer twice changes nothing. (No Web Lock: a lock
      // left by a page being reloaded held the next page's first pass for seconds.)
      await sendAll();
      failures = 0;
      state.reachable = true;
      state.authNeeded = false;
    } catch (error) {
      failures += 1;
      if (error instanceof AuthError) {
        state.authNeeded = true;
      } else if (error instanceof NetworkError) {
        state.reachable = false;
      } else {
        state.error = error.message;
      }
      // 1 s, 2 s, 4 s … up to a minute, with jitter so many tablets do not return in
      // step. The first retry is quick: "online" often comes a moment before the route.
      const pause = Math.min(MAX_PAUSE_MS, 1000 * 2 ** (failures - 1));
      timer = setTimeout(run, pause * (0.75 + Math.random() / 2));
    } finally {
      state.sending = false;
    }
  }

  async function run() {
    if (running) {
      again = true; // a sale queued meanwhile is sent right after this pass
      return;
    }
    running = true;
    clearTimeout(timer);
    try {
      if ((await mine()).length) await attempt();
    } finally {
      running = false;
      await report();
    }
    if (again) {
      again = false;
      run();
    }
  }

  async function report() {
    state.waiting = (await mine()).length;
    onChange({ ...state, online: online() });
  }

  function back() {
    state.reachable = true;
    failures = 0;
    run();
  }
  window.addEventListener("online", back);
  // An "online" event can be missed (it fired while the page was still loading after an
  // offline reload): the flag is read every two seconds too, and a change sends at once
  // instead of waiting for the retry timer.
  let wasOnline = navigator.onLine;
  setInterval(() => {
    if (navigator.onLine && !wasOnline) back();
    wasOnline = navigator.onLine;
  }, 2000);
  window.addEventListener("offline", () => report());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") run();
  });
  // The periodic pass, also when nothing failed: a sale queued in another tab is seen.
  setInterval(run, PERIOD_MS);

  return {
    run,
    report,
    get online() {
      return online();
    },
    markReachable(reachable) {
      state.reachable = reachable;
      report();
    },
  };
}
