// "Claim your credential" on the participant page (templates/credentials/_claim.html).
// welcome.you.credential is null (credentials off, or no part in a final principle), or
// {eligible: true, page: null | "<url of the claimed credential's page>"}.

const $ = (id) => document.getElementById(id);

export function credentialClaim(client) {
  const panel = $("credential-panel");
  if (!panel) return () => {};
  const form = $("credential-form");
  const name = $("credential-name");
  const error = $("credential-error");
  const done = $("credential-done");
  const link = $("credential-link");
  let claimedPage = null;

  form.addEventListener("submit", (submit) => {
    submit.preventDefault();
    error.textContent = "";
    const fields = {
      name: name.value.trim(),
      email: $("credential-email").value.trim() || null,
      named: $("credential-named").checked,
    };
    $("credential-submit").disabled = true;
    client.send("credential.claim", fields).then(
      (answer) => {
        claimedPage = answer.page;
        show(claimedPage);
        link.focus();
      },
      (refused) => { error.textContent = refused.message; },
    ).finally(() => { $("credential-submit").disabled = false; });
  });

  function show(page) {
    form.hidden = Boolean(page);
    done.hidden = !page;
    if (page) link.href = page;
  }

  // Called on every render with what the server said about this participant.
  return function render(you) {
    const credential = you && you.credential;
    panel.hidden = !credential;
    if (!credential) return;
    if (!name.value && you.name) name.value = you.name;
    show(claimedPage || credential.page);
  };
}
