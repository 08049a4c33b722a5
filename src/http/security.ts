/** Response headers that keep pages from loading anything but Paperboy's own files. */
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
 * images, fonts and scripts (one optional script, /assets/app.js); no inline script can ever run, so
 * injected markup has nothing to execute.
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
      formAction: ["'self'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
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
