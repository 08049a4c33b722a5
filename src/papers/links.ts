/** Finds code-repository and project-page links in free text (abstracts and comments). */

const URL_RE = /\bhttps?:\/\/[^\s<>"'\])}]+|\b(?:www\.)?(?:github\.com|gitlab\.com|huggingface\.co|bitbucket\.org)\/[^\s<>"'\])}]+/gi;
const CODE_HOSTS = /^(?:www\.)?(github\.com|gitlab\.com|bitbucket\.org|codeberg\.org|gitee\.com|sourceforge\.net)$/i;
const NOT_PROJECT_HOSTS = /(^|\.)(arxiv\.org|doi\.org|creativecommons\.org|huggingface\.co|youtube\.com|youtu\.be|twitter\.com|x\.com)$/i;

/** Trailing punctuation that ends a sentence, not the URL. */
function trimUrl(url: string): string {
  let u = url.replace(/[.,;:!?]+$/, '');
  // Wrapped abstracts sometimes split "https://github.com/a/b" + "." glued to the next word; cut at a dangling '.'.
  if (!/^https?:\/\//i.test(u)) u = `https://${u}`;
  return u;
}

/** Code repository and project page found in the given texts, first match wins. */
export function extractLinks(...texts: (string | undefined)[]): { code?: string; project?: string } {
  const found: { code?: string; project?: string } = {};
  for (const text of texts) {
    if (!text) continue;
    for (const match of text.matchAll(URL_RE)) {
      const url = trimUrl(match[0]);
      let host: string;
      let pathname: string;
      try {
        const parsed = new URL(url);
        host = parsed.hostname;
        pathname = parsed.pathname;
      } catch {
        continue;
      }
      if (CODE_HOSTS.test(host)) {
        // A bare profile (github.com/user) is not a repository; require owner/name.
        if (!found.code && pathname.split('/').filter(Boolean).length >= 2) found.code = url;
      } else if (host.endsWith('github.io')) {
        found.project ??= url;
      } else if (!NOT_PROJECT_HOSTS.test(host)) {
        found.project ??= url;
      }
    }
  }
  return found;
}

/** The URL if it is an absolute http(s) URL without spaces or quotes, else undefined: the only links stored or shown. */
export function httpUrl(url: string): string | undefined {
  if (!/^https?:\/\/[^\s<>"'`]+$/i.test(url)) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}
