// Warns before the idle sign-out (WCAG 2.2.1) and lets the user stay signed in.
// The server decides expiry; this only mirrors its clock: the page says how many seconds were left when it
// was drawn (the session is renewed at most once a minute, so that can be a little under the full timeout),
// and "stay signed in" answers with the new full timeout.
export function startSessionTimeout(body) {
  const timeout = Number(body.dataset.sessionTimeout || 0);
  const warning = Number(body.dataset.sessionWarning || 0);
  const dialog = document.getElementById("session-dialog");
  if (!timeout || !dialog || typeof dialog.showModal !== "function") return;

  const timeText = dialog.querySelector(".app-session-dialog__time");
  const extendForm = dialog.querySelector(".app-session-dialog__extend");
  let warnTimer;
  let expireTimer;
  let tick;
  let expiresAt;
  let lastFocus;

  const describe = (seconds) => {
    const minutes = Math.ceil(seconds / 60);
    return minutes > 1 ? `${minutes} minutes` : `${Math.max(seconds, 0)} seconds`;
  };

  const schedule = (seconds) => {
    clearTimeout(warnTimer);
    clearTimeout(expireTimer);
    clearInterval(tick);
    expiresAt = Date.now() + seconds * 1000;
    warnTimer = setTimeout(open, Math.max(seconds - warning, 0) * 1000);
    expireTimer = setTimeout(() => window.location.reload(), (seconds + 2) * 1000);
  };

  const open = () => {
    lastFocus = document.activeElement;
    const update = () => { timeText.textContent = describe(Math.round((expiresAt - Date.now()) / 1000)); };
    update();
    tick = setInterval(update, 15000);
    dialog.showModal();
    dialog.querySelector("button").focus();
  };

  extendForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await fetch(extendForm.action, {
      method: "POST",
      body: new FormData(extendForm),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) { extendForm.submit(); return; }
    const answer = await response.json().catch(() => ({}));
    dialog.close();
    if (lastFocus && lastFocus.focus) lastFocus.focus();
    schedule(Number(answer.expires_in) || timeout);
  });
  // Escape closes the dialog without extending: the warning comes back at the next check.
  dialog.addEventListener("cancel", () => { clearInterval(tick); });

  schedule(timeout);
}
