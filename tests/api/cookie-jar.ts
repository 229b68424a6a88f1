// A tiny cookie jar for Node's fetch: what a browser does for the API client. Keeps the cookies a
// server sets (`unyo_session`), drops the ones it clears, and sends them back in `Cookie`. One jar
// per simulated browser; the server is a single origin, so domains and paths are not tracked.

export interface SetCookie {
    name: string;
    value: string;
    /** Attribute names in lower case (`httponly`, `samesite`, `path`, `max-age`, …) → value (`''` if none). */
    attributes: Map<string, string>;
    raw: string;
}

/** Parses one `Set-Cookie` header value. */
export function parseSetCookie(raw: string): SetCookie {
    const [pair = '', ...rest] = raw.split(';');
    const eq = pair.indexOf('=');
    const name = (eq < 0 ? pair : pair.slice(0, eq)).trim();
    const value = eq < 0 ? '' : pair.slice(eq + 1).trim();
    const attributes = new Map<string, string>();
    for (const part of rest) {
        const i = part.indexOf('=');
        const key = (i < 0 ? part : part.slice(0, i)).trim().toLowerCase();
        if (key !== '') {
            attributes.set(key, i < 0 ? '' : part.slice(i + 1).trim());
        }
    }
    return { name, value, attributes, raw };
}

function clears(cookie: SetCookie): boolean {
    const maxAge = cookie.attributes.get('max-age');
    if (maxAge !== undefined && Number(maxAge) <= 0) {
        return true;
    }
    const expires = cookie.attributes.get('expires');
    if (expires !== undefined && Date.parse(expires) <= Date.now()) {
        return true;
    }
    return cookie.value === '';
}

export class CookieJar {
    readonly cookies = new Map<string, string>();
    /** Every `Set-Cookie` received, oldest first, for tests of the attributes. */
    readonly received: SetCookie[] = [];

    get(name: string): string | undefined {
        return this.cookies.get(name);
    }

    /** The last `Set-Cookie` received for `name`. */
    lastSet(name: string): SetCookie | undefined {
        return this.received.filter((c) => c.name === name).at(-1);
    }

    header(): string | null {
        if (this.cookies.size === 0) {
            return null;
        }
        return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }

    store(headers: Headers): void {
        for (const raw of headers.getSetCookie()) {
            const cookie = parseSetCookie(raw);
            this.received.push(cookie);
            if (clears(cookie)) {
                this.cookies.delete(cookie.name);
            } else {
                this.cookies.set(cookie.name, cookie.value);
            }
        }
    }
}

export interface JarFetchOptions {
    /** Sent as `User-Agent` on every request (the login history records it). */
    userAgent?: string;
}

/** A `fetch` that keeps cookies in `jar`, like a browser on one origin. */
export function jarFetch(jar: CookieJar, options: JarFetchOptions = {}): typeof fetch {
    const wrapped = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
        const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
        const cookie = jar.header();
        if (cookie !== null && !headers.has('Cookie')) {
            headers.set('Cookie', cookie);
        }
        if (options.userAgent !== undefined) {
            headers.set('User-Agent', options.userAgent);
        }
        const response = await fetch(input, { ...init, headers });
        jar.store(response.headers);
        return response;
    };
    return wrapped as typeof fetch;
}
