// The control room's board refreshes without a reload: every 10 seconds the server-rendered
// board (/control-room/latest) is fetched and swapped in. Without JavaScript the page's Refresh
// link does the same by reloading. No inline script: this file is served by the console.
const board = document.querySelector('[data-control-room-board]');
const updated = document.querySelector('[data-board-updated]');
const REFRESH_MS = 10000;

async function refreshBoard() {
  const response = await fetch(board.getAttribute('data-refresh-url'), {
    credentials: 'same-origin',
    headers: { accept: 'text/html' },
  });
  // The session ended (the refresh never keeps it alive): go where the console sends us, the
  // sign-in page, which returns to this page afterwards.
  if (response.redirected) {
    window.location.assign(response.url);
    return false;
  }
  if (!response.ok) return true;
  // A template's content is inert: parsed, never run or fetched from, until moved into the page.
  const template = document.createElement('template');
  template.innerHTML = await response.text();
  const fresh = template.content.querySelector('[data-control-room-board]');
  if (!fresh) return true;
  board.replaceChildren(...fresh.childNodes);
  if (updated) updated.textContent = `Updated at ${fresh.getAttribute('data-updated')}.`;
  return true;
}

function schedule() {
  setTimeout(async () => {
    const again = await refreshBoard().catch(() => true);
    if (again) schedule();
  }, REFRESH_MS);
}

if (board) {
  schedule();
  document.querySelector('[data-board-refresh]')?.addEventListener('click', (event) => {
    event.preventDefault();
    refreshBoard().catch(() => undefined);
  });
}
