// Paperboy's only script, and an optional one: every page works without it. It adds
// - copy buttons (the BibTeX box, a paper's link): hidden until there is a script to make them work;
// - announcement times in the reader's own time zone (the page says UTC without it);
// - "/" to jump to the search box;
// - votes, "read", "not interested" and follows in place (each is a form that works without this script).
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

// The reader's controls (user slots: a vote, read / not interested, follow) post and come back to the page:
// votes and reading states are buttons of the page's one actions form (`form="reader-actions"`, the paper in
// `formaction`), follows are forms of their own. Here the same change goes to the JSON API instead, and the
// control is updated in place. Any failure (signed out, too many votes, offline) falls back to posting the
// form as the button would have, whose answer explains.
const count = (n) => Number(n).toLocaleString('en');
const press = (button, pressed, value) => {
  button.setAttribute('aria-pressed', String(pressed));
  if (button.dataset.on) button.textContent = pressed ? button.dataset.on : button.dataset.off;
  button.dataset.method = pressed ? 'DELETE' : 'POST';
  if (button.name) button.value = value;
};
const setField = (form, name, value) => {
  const field = form.elements.namedItem(name);
  if (field) field.value = value;
};
const updaters = {
  vote(control, data) {
    press(control, data.voted, data.voted ? '0' : '1');
    const breakdown = `${count(data.votes.imported)} on Hugging Face · ${count(data.votes.local)} here`;
    control.querySelector('.vote-count').textContent = count(data.votes.total);
    control.title = breakdown;
    document.querySelectorAll(`.vote-breakdown[data-paper="${control.dataset.paper}"]`).forEach((el) => (el.textContent = breakdown));
  },
  reading(control, data) {
    const group = control.closest('.paper-actions') || control.parentElement;
    group.querySelectorAll('[data-toggle="reading"]').forEach((b) => {
      const held = b.dataset.state === data.state;
      press(b, held, held ? 'none' : b.dataset.state);
    });
    // A list that hides what the reader has seen lets the card go at once.
    const card = control.closest('.paper-item');
    if (data.state && card && new URLSearchParams(location.search).get('hide') === 'read') card.hidden = true;
  },
  follow(form, data) {
    press(form.querySelector('button'), data.following);
    form.dataset.method = data.following ? 'DELETE' : 'POST';
    setField(form, 'follow', data.following ? '0' : '1');
  },
};

document.addEventListener('submit', async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.dataset.plain) return;
  // The control is the pressed button when it says what it does (data-toggle), else the form (follows).
  const submitter = event.submitter instanceof HTMLButtonElement ? event.submitter : form.querySelector('button');
  const control = submitter && submitter.dataset.toggle ? submitter : form;
  if (!submitter || !updaters[control.dataset.toggle] || !control.dataset.api) return;
  const token = form.elements.namedItem('_csrf');
  if (!token) return;
  event.preventDefault();
  if (submitter.dataset.busy) return;
  submitter.dataset.busy = '1';
  submitter.disabled = true;
  try {
    const headers = { 'X-CSRF-Token': token.value, Accept: 'application/json' };
    if (control.dataset.body) headers['Content-Type'] = 'application/json';
    const res = await fetch(control.dataset.api, { method: control.dataset.method || 'POST', headers, body: control.dataset.body, credentials: 'same-origin' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    updaters[control.dataset.toggle](control, await res.json());
  } catch {
    submitter.disabled = false;
    form.dataset.plain = '1';
    form.requestSubmit(submitter);
    delete form.dataset.plain;
  } finally {
    delete submitter.dataset.busy;
    submitter.disabled = false;
  }
});

// Enter in a card's "Save" fields saves that card (the page's save form's own default button is disabled, so
// that without this script Enter does nothing rather than save the first card of the page).
document.addEventListener('keydown', (event) => {
  const field = event.target;
  if (event.key !== 'Enter' || !(field instanceof HTMLInputElement) || field.type !== 'text' || field.getAttribute('form') !== 'reader-save') return;
  const save = field.closest('.collect-form')?.querySelector('button[name="paper"]');
  if (!save) return;
  event.preventDefault();
  save.click();
});
