// What the Node halves of the benchmarks (bench/realtime/bench.mjs,
// bench/sfu/setup.mjs) share: the session cookie's name, the password they give
// the employees they make, and HTTPS to the egovbox they started on loopback.
import https from 'node:https';

export const COOKIE_NAME = '__Host-egov-session';
export const PASSWORD = 'Зелена ябълка на 7-ия етаж';

// api(method, urlPath, {json, session}) against https://127.0.0.1:`port`, trusting
// `ca` (the server's certificate.pem) for the name localhost; resolves with
// {status, headers, text, json}. A `session` ({token, csrf}) sends its cookie (and,
// but for GET, its CSRF token) and takes up a rotated cookie. Each request fails
// after `timeoutMs` without an answer.
export function httpsApi({ port, ca, timeoutMs }) {
  return function api(method, urlPath, { json, session } = {}) {
    const headers = {};
    const body = json === undefined ? undefined : Buffer.from(JSON.stringify(json));
    if (body) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = body.length;
    }
    if (session) {
      headers.Cookie = `${COOKIE_NAME}=${session.token}`;
      if (method !== 'GET') headers['X-CSRF-Token'] = session.csrf;
    }
    return new Promise((resolve, reject) => {
      const req = https.request(
        { host: '127.0.0.1', port, ca, servername: 'localhost', method, path: urlPath, headers, agent: false, timeout: timeoutMs },
        (res) => {
          const chunks = [];
          res.on('data', (chunk) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              parsed = undefined;
            }
            // A rotated session cookie replaces the one we hold.
            for (const line of [res.headers['set-cookie'] ?? []].flat()) {
              const match = new RegExp(`^${COOKIE_NAME}=([^;]+)`).exec(line);
              if (match && session) session.token = match[1];
            }
            resolve({ status: res.statusCode, headers: res.headers, text, json: parsed });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${urlPath}: no answer within ${timeoutMs / 1000} s`)));
      req.on('error', reject);
      req.end(body);
    });
  };
}
