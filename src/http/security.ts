/** Response headers that keep pages from loading anything but Paperboy's own files. */
import { secureHeaders } from 'hono/secure-headers';

/**
 * Security headers for every response. The Content-Security-Policy allows only same-origin styles and
 * images and no scripts at all: pages work without JavaScript, so injected markup has nothing to run.
 */
export function securityHeaders() {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'"],
      formAction: ["'self'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    // HSTS is the TLS-terminating proxy's call: a lab box is often reached over plain http on the LAN.
    strictTransportSecurity: false,
    permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [], usb: [] },
  });
}
