// Calls to /api/v1/pos/. The API authenticates with the login session cookie and, for
// anything that writes, Django's CSRF check (shop/api.py, django-ninja's SessionAuth):
// the token goes in the X-CSRFToken header.
//
// After a long time offline the token the page started with can be stale (a login in
// another tab rotates it). A 403 with code csrf_failed is answered by fetching the shell
// page again (it sets a fresh cookie and carries the token) and retrying once. A 401
// means the login itself has ended: the caller tells the cashier to log in again; the
// waiting sales stay in IndexedDB meanwhile.

export class NetworkError extends Error {}

export class AuthError extends Error {}

// What the cashier reads when the server answered without a message of its own (a proxy's
// error page, a crash): the server's text whenever there is one, never a bare status code.
function fallbackMessage(status) {
  const strings = (config && config.strings) || {};
  const key = status === 503 || status === 429 ? "server_busy" : "server_error";
  return strings[key] || "";
}

// A refused form (422) lists its problems as {field, message}: the cashier reads the
// messages, never the API's field names.
function message(status, body) {
  if (body && Array.isArray(body.errors) && body.errors.length) {
    return body.errors.map((error) => error.message).join(" ");
  }
  return (body && body.detail) || fallbackMessage(status);
}

export class ApiError extends Error {
  constructor(status, body) {
    super(message(status, body));
    this.status = status;
    this.code = (body && body.code) || "";
    this.body = body;
  }
}

let config = null;

export function configure(appConfig) {
  config = appConfig;
}

function cookie(name) {
  const prefix = `${name}=`;
  const found = document.cookie.split("; ").find((part) => part.startsWith(prefix));
  return found ? decodeURIComponent(found.slice(prefix.length)) : null;
}

function csrfToken() {
  return cookie(config.csrfCookie) || config.csrf;
}

/** Loads the shell page for a fresh CSRF token (and cookie). */
export async function refreshCsrf() {
  let response;
  try {
    response = await fetch(config.urls.shell, { credentials: "same-origin", cache: "no-store" });
  } catch (error) {
    throw new NetworkError(error.message);
  }
  if (response.redirected || response.status === 403 || !response.ok) throw new AuthError();
  const html = await response.text();
  const page = new DOMParser().parseFromString(html, "text/html");
  const fresh = JSON.parse(page.getElementById("pos-config").textContent);
  config.csrf = fresh.csrf;
}

async function readBody(response) {
  const type = response.headers.get("Content-Type") || "";
  return type.includes("json") ? response.json().catch(() => null) : null;
}

/**
 * JSON request. Resolves to {data, status, stale, serverTime}; rejects with NetworkError
 * (no answer), AuthError (login ended) or ApiError (the server said no, with its detail).
 */
export async function request(url, { method = "GET", body = undefined, retried = false } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new NetworkError(error.message);
  }
  const data = await readBody(response);
  if (response.status === 401 || (response.redirected && !response.ok)) throw new AuthError();
  const csrfFailed = response.status === 403 && data && data.code === "csrf_failed";
  if (csrfFailed && !retried) {
    await refreshCsrf();
    return request(url, { method, body, retried: true });
  }
  if (!response.ok) throw new ApiError(response.status, data);
  const date = Date.parse(response.headers.get("Date") || "");
  return {
    data,
    status: response.status,
    stale: response.headers.get("X-Pos-Cache") === "stale",
    serverTime: Number.isNaN(date) ? Date.now() : date,
  };
}

/** "/api/v1/pos/locations/{id}/catalogue" + {id: 3} → "/api/v1/pos/locations/3/catalogue" */
export function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(values[name]));
}
