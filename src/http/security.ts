/** Response headers that keep pages from loading anything but Paperboy's own files, and which Host names are ours. */
import { isIP } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by pages that contain KaTeX output (see `allowMathStyles`). */
    mathStyles?: boolean;
  }
}

/**
 * Lets this response use inline `style` attributes, which KaTeX's typeset math positions its glyphs
 * with. Only pages that show typeset math call it. `<style>` elements and scripts stay forbidden, and
 * no user text can add an attribute: every imported string is escaped, and KaTeX runs with trust off.
 */
export function allowMathStyles(c: Context): void {
  c.set('mathStyles', true);
}

/**
 * Security headers for every response. The Content-Security-Policy allows only same-origin styles,
 * images, fonts and scripts (one optional script, /assets/app.js, which may call this site's JSON API); no
 * inline script can ever run, so injected markup has nothing to execute.
 */
export function securityHeaders(): MiddlewareHandler {
  const headers = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      styleSrcAttr: ["'none'"],
      imgSrc: ["'self'"],
      fontSrc: ["'self'"],
      // app.js sends votes, reading state and follows to the JSON API of this same site (community-parts.tsx).
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    // Not no-referrer: under it browsers send `Origin: null` with same-origin form posts, and the CSRF check
    // needs the real one. same-origin still sends nothing (no signed link, no search) to other sites.
    referrerPolicy: 'same-origin',
    // HSTS is the TLS-terminating proxy's call: a lab box is often reached over plain http on the LAN.
    strictTransportSecurity: false,
    permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [], usb: [] },
  });
  return async (c, next) => {
    await headers(c, next);
    if (!c.get('mathStyles')) return;
    const csp = c.res.headers.get('Content-Security-Policy') ?? '';
    c.res.headers.set('Content-Security-Policy', csp.replace("style-src-attr 'none'", "style-src-attr 'unsafe-inline'"));
  };
}

/**
 * Whether a host name can only ever lead a browser to this server, so no page can become its origin by
 * DNS rebinding: `localhost` and its subdomains (browsers resolve them to loopback themselves) and IP
 * addresses (there is no name to rebind). IPv6 comes with brackets, as `URL.hostname` gives it.
 */
export function isRebindingProofHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || isIP(h.replace(/^\[(.*)\]$/, '$1')) !== 0;
}

/**
 * Whether a request was addressed to a host name this server answers to: the public host (of
 * PUBLIC_BASE_URL) or a rebinding-proof one. Any other name in Host means the browser was sent here by
 * a DNS record Paperboy does not know — the shape of a DNS-rebinding attack.
 */
export function isOwnHost(c: Context, publicBaseUrl: string): boolean {
  const hostname = new URL(c.req.url).hostname;
  return hostname === new URL(publicBaseUrl).hostname || isRebindingProofHost(hostname);
}
