// Paperboy's only script, and an optional one: every page works without it. It adds
// - copy buttons (the BibTeX box): the button stays hidden until there is a script to make it work;
// - announcement times in the reader's own time zone (the page says UTC without it);
// - "/" to jump to the search box.
'use strict';

document.querySelectorAll('button[data-copy]').forEach((button) => {
  const target = document.getElementById(button.dataset.copy);
  const status = document.getElementById(button.dataset.status || '');
  if (!target || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(target.textContent.trim());
      if (status) status.textContent = 'Copied to the clipboard.';
    } catch {
      if (status) status.textContent = 'Could not copy; select the text and copy it instead.';
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
