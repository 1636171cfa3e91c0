// The console works without JavaScript; this only enhances it (no inline script anywhere).
import { initAll } from '/assets/govuk/govuk-frontend.min.js';
import { initAll as initMoj } from '/assets/moj/moj-frontend.min.js';

document.body.classList.add('js-enabled', 'govuk-frontend-supported');
initAll();
initMoj();

// Hide screen: one key (Esc) or the header link blanks the page and its title at once, for a
// person interrupted at her desk; "Show screen" brings it back.
const cover = document.querySelector('[data-screen-cover]');
const title = document.title;
function hideScreen() {
  if (!cover) return;
  cover.hidden = false;
  document.body.classList.add('console-screen-hidden');
  document.title = 'Safeguarding Exchange';
  cover.querySelector('[data-show-screen]')?.focus();
}
function showScreen() {
  if (!cover) return;
  cover.hidden = true;
  document.body.classList.remove('console-screen-hidden');
  document.title = title;
}
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') {
    if (cover?.hidden) hideScreen();
  }
});
document.querySelectorAll('[data-hide-screen]').forEach((link) => {
  link.addEventListener('click', (event) => {
    event.preventDefault();
    hideScreen();
  });
});
cover?.querySelector('[data-show-screen]')?.addEventListener('click', showScreen);

// Acknowledge-by countdowns stay current without a reload.
function countdown(due, now) {
  const ms = due - now;
  const minutes = Math.floor(Math.abs(ms) / 60000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const plural = (n, unit) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  const span =
    [
      days ? plural(days, 'day') : '',
      hours ? plural(hours, 'hour') : '',
      !days && mins ? plural(mins, 'minute') : '',
    ]
      .filter(Boolean)
      .join(' ') || 'less than a minute';
  return ms >= 0 ? `in ${span}` : `overdue by ${span}`;
}
function refreshCountdowns() {
  document.querySelectorAll('[data-countdown]').forEach((element) => {
    const due = Date.parse(element.getAttribute('data-countdown') ?? '');
    if (!Number.isNaN(due)) element.textContent = countdown(due, Date.now());
  });
}
setInterval(refreshCountdowns, 30000);

// The referral form's completeness score, kept current as she types: the form is posted to the
// console's quality endpoint (the same assessment the node records), never sent anywhere else.
const referralForm = document.querySelector('[data-referral-form]');
const qualityPanel = document.querySelector('[data-referral-quality]');
function listItems(list, items) {
  if (!list) return;
  list.replaceChildren(
    ...(items.length ? items : [{ text: 'None' }]).map((item) => {
      const li = document.createElement('li');
      li.textContent = item.text;
      return li;
    }),
  );
}
let qualityTimer;
async function refreshQuality() {
  const url = referralForm.getAttribute('data-quality-url');
  const response = await fetch(url, {
    method: 'POST',
    body: new URLSearchParams(new FormData(referralForm)),
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
  });
  if (!response.ok) return;
  const quality = await response.json();
  qualityPanel.querySelector('[data-completeness]').textContent = `${quality.completeness}%`;
  listItems(qualityPanel.querySelector('[data-missing-required]'), quality.missingRequired);
  listItems(qualityPanel.querySelector('[data-missing-recommended]'), quality.missingRecommended);
}
if (referralForm && qualityPanel) {
  const schedule = () => {
    clearTimeout(qualityTimer);
    qualityTimer = setTimeout(() => refreshQuality().catch(() => undefined), 300);
  };
  referralForm.addEventListener('input', schedule);
  referralForm.addEventListener('change', schedule);
}
