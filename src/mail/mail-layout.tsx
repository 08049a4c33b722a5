/**
 * The frame of every HTML mail: table layout and inline styles only (what Outlook, Gmail and Apple Mail all
 * render), no images, no scripts, no external resources. Built with hono/jsx, so every value is escaped.
 */
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';

/** Colours and fonts shared by the mails. */
export const MAIL_STYLE = {
  font: "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif",
  text: '#1f2328',
  muted: '#59636e',
  link: '#0b57d0',
  accent: '#b3261e',
  border: '#e4e4e7',
  page: '#f4f4f5',
};

/** What a mail says about itself. */
export interface MailShellProps {
  title: string;
  /** The line mail clients show next to the subject; hidden in the body. */
  preheader: string;
  baseUrl: string;
  children?: Child;
  /** Small print under the content (why you get this, links to manage and unsubscribe). */
  footer?: Child;
}

/** Wraps mail content in the full HTML document. */
export function MailShell({ title, preheader, baseUrl, children, footer }: MailShellProps) {
  const s = MAIL_STYLE;
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light" />
          <title>{title}</title>
        </head>
        <body style={`margin:0;padding:0;background:${s.page};color:${s.text};font-family:${s.font};`}>
          <div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">{preheader}</div>
          <table role="presentation" width="100%" cellpadding={0} cellspacing={0} border={0} style={`background:${s.page};`}>
            <tr>
              <td align="center" style="padding:24px 12px;">
                <table role="presentation" width={600} cellpadding={0} cellspacing={0} border={0} style="width:100%;max-width:600px;background:#ffffff;border:1px solid #e4e4e7;border-radius:8px;">
                  <tr>
                    <td style={`padding:20px 28px;border-bottom:3px solid ${s.accent};`}>
                      <a href={`${baseUrl}/`} style={`font-size:22px;font-weight:700;color:${s.text};text-decoration:none;font-family:Georgia,'Times New Roman',serif;`}>
                        Paperboy
                      </a>
                    </td>
                  </tr>
                  <tr>
                    <td style={`padding:20px 28px;font-size:15px;line-height:1.5;color:${s.text};`}>{children}</td>
                  </tr>
                  {footer && (
                    <tr>
                      <td style={`padding:16px 28px 24px;border-top:1px solid ${s.border};font-size:12px;line-height:1.5;color:${s.muted};`}>{footer}</td>
                    </tr>
                  )}
                </table>
              </td>
            </tr>
          </table>
        </body>
      </html>
    </>
  );
}

/** A link styled for mail (inline, since mail clients drop <style> blocks). */
export function MailLink({ href, children, strong }: { href: string; children?: Child; strong?: boolean }) {
  return (
    <a href={href} style={`color:${MAIL_STYLE.link};${strong ? 'font-weight:600;' : ''}text-decoration:none;`}>
      {children}
    </a>
  );
}

/** A big, bulletproof (table-based) button. */
export function MailButton({ href, children }: { href: string; children?: Child }) {
  return (
    <table role="presentation" cellpadding={0} cellspacing={0} border={0} style="margin:16px 0;">
      <tr>
        <td style={`background:${MAIL_STYLE.link};border-radius:6px;`}>
          <a href={href} style="display:inline-block;padding:12px 22px;color:#ffffff;font-weight:600;text-decoration:none;font-size:15px;">
            {children}
          </a>
        </td>
      </tr>
    </table>
  );
}

/** Renders a mail element to its HTML string. */
export function renderMailHtml(element: unknown): string {
  return String(element);
}
