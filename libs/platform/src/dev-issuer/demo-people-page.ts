import { DemoPerson } from './demo-people';

function escape(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The development issuer's "login": one button per demo person. Plain HTML that works without
 * JavaScript or styles; the hidden fields carry the authorization request back.
 */
export function demoPeoplePage(people: DemoPerson[], request: Record<string, string>): string {
  const hidden = Object.entries(request)
    .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`)
    .join('');
  const buttons = people
    .map(
      (person) => `<li><form method="post" action="/dev-issuer/authorize">${hidden}
        <input type="hidden" name="person" value="${escape(person.username)}">
        <button type="submit">${escape(person.name)}, ${escape(person.title)}</button>
      </form></li>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Development sign-in</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<main>
<h1>Development sign-in: choose a demo person</h1>
<p>This page exists only on a development machine. No password is asked for.</p>
<ul>
${buttons}
</ul>
</main>
</body>
</html>`;
}
