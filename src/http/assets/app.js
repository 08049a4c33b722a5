// Paperboy's only script, and an optional one: every page works without it. It adds
// - copy buttons (the BibTeX box, a paper's link): hidden until there is a script to make them work;
// - announcement times in the reader's own time zone (the page says UTC without it);
// - "/" to jump to the search box.
'use strict';

// The Clipboard API exists only in secure contexts, and a lab often serves Paperboy over plain HTTP on a
// LAN address; there, copying the selection of a (hidden) textarea still works, as it always has.
async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Denied (permissions policy, an unfocused page): the fallback below may still be allowed.
    }
  }
  const buffer = document.createElement('textarea');
  buffer.value = text;
  buffer.className = 'copy-buffer';
  buffer.setAttribute('readonly', '');
  buffer.setAttribute('aria-hidden', 'true');
  buffer.tabIndex = -1;
  const focused = document.activeElement;
  document.body.append(buffer);
  buffer.select();
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  buffer.remove();
  if (focused instanceof HTMLElement) focused.focus();
  return copied;
}

// When nothing can copy, the text is left selected so that Ctrl+C (or the phone's menu) copies it.
function selectContents(element) {
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}

document.querySelectorAll('button[data-copy], button[data-copy-link]').forEach((button) => {
  const target = button.dataset.copy ? document.getElementById(button.dataset.copy) : null;
  if (button.dataset.copy && !target) return;
  const status = document.getElementById(button.dataset.status || '');
  const say = (text) => {
    if (status) status.textContent = text;
  };
  button.hidden = false;
  const box = button.closest('[hidden]');
  if (box) box.hidden = false;
  button.addEventListener('click', async () => {
    // A link is copied as the reader reached the page, so a LAN address stays a LAN address.
    const text = target ? target.textContent.trim() : new URL(button.dataset.copyLink, location.href).href;
    if (await copyText(text)) {
      say(target ? 'Copied to the clipboard.' : 'Link copied.');
    } else if (target) {
      selectContents(target);
      say('Selected: press Ctrl+C (⌘C) to copy.');
    } else {
      say(text);
    }
  });
});

const localTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
document.querySelectorAll('time[data-local]').forEach((el) => {
  const when = new Date(el.getAttribute('datetime'));
  if (Number.isNaN(when.getTime())) return;
  el.title = el.textContent.trim();
  el.textContent = `${localTime.format(when)} your time`;
});

document.addEventListener('keydown', (event) => {
  if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
  const active = document.activeElement;
  if (active && (active.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName))) return;
  const box = document.getElementById('site-search');
  if (!box) return;
  event.preventDefault();
  box.focus();
});
