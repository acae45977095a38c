// The playground page: every click becomes a POST to the playground, which sends the
// Slack-signed request to the app; then the page reloads to show what the app did.
(function () {
  "use strict";
  const body = document.body;
  const user = body.dataset.user;
  const channel = body.dataset.channel;
  const kind = body.dataset.kind;

  function busy(on) { body.classList.toggle("busy", on); }

  async function post(path, payload) {
    busy(true);
    try {
      const response = await fetch(path, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(Object.assign({ user: user }, payload)),
      });
      return await response.json();
    } finally {
      busy(false);
    }
  }

  function reload() { window.location.reload(); }

  document.getElementById("act-as").addEventListener("change", function (event) {
    window.location.href = "/as/" + event.target.value;
  });

  document.querySelectorAll(".clock-step").forEach(function (button) {
    button.addEventListener("click", async function () {
      await post("/api/clock", { step: button.dataset.step });
      reload();
    });
  });

  const composer = document.getElementById("composer");
  if (composer) {
    composer.addEventListener("submit", async function (event) {
      event.preventDefault();
      const box = document.getElementById("message-box");
      const answer = await post("/api/command", { channel: channel, text: box.value });
      if (!answer.ok && answer.note) {
        document.getElementById("note").textContent = answer.note;
        return;
      }
      reload();
    });
  }

  // Where an interactive element lives: a message (maybe ephemeral), a modal or the Home tab.
  function containerOf(element) {
    const modal = element.closest("#modal");
    if (modal) return { view_id: modal.dataset.viewId };
    const article = element.closest("article.message");
    if (article) {
      return {
        channel: channel,
        ts: article.dataset.ts || null,
        ephemeral_url: article.dataset.ephemeralUrl || null,
      };
    }
    if (kind === "home") return { view_id: "home" };
    return { channel: channel };
  }

  async function act(element, chosen, chosenText) {
    const action = JSON.parse(element.dataset.action);
    if (element.dataset.url) window.open(element.dataset.url, "_blank");
    const where = containerOf(element);
    if (where.view_id === "home") where.view_id = body.dataset.homeView || null;
    const answer = await post("/api/action", Object.assign(
      { action: action, chosen: chosen, chosen_text: chosenText }, where));
    if (answer.ok === false && answer.note) alert(answer.note);
    reload();
  }

  document.querySelectorAll("button[data-action]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (button.dataset.confirm) {
        const confirm = JSON.parse(button.dataset.confirm);
        const question = (confirm.text && confirm.text.text) || "Are you sure?";
        if (!window.confirm(question)) return;
      }
      act(button, null, null);
    });
  });
  document.querySelectorAll("select[data-action], input[data-action]").forEach(function (input) {
    input.addEventListener("change", function () {
      if (!input.value) return;
      const text = input.tagName === "SELECT" ? input.options[input.selectedIndex].text : input.value;
      act(input, input.value, text);
    });
  });

  const modal = document.getElementById("modal");
  if (modal) {
    document.getElementById("modal-close").addEventListener("click", async function () {
      await post("/api/close", {});
      reload();
    });
    modal.addEventListener("submit", async function (event) {
      event.preventDefault();
      const fields = {};
      modal.querySelectorAll("[name]").forEach(function (input) {
        const name = input.name;
        fields[name] = fields[name] || [];
        if (input.tagName === "SELECT" && input.multiple) {
          Array.from(input.selectedOptions).forEach(function (o) { fields[name].push(o.value); });
        } else if (input.type === "radio" || input.type === "checkbox") {
          if (input.checked) fields[name].push(input.value);
        } else {
          fields[name].push(input.value);
        }
      });
      modal.querySelectorAll(".bk-error").forEach(function (e) { e.textContent = ""; });
      const answer = await post("/api/submit", { view_id: modal.dataset.viewId, fields: fields });
      if (answer.errors && Object.keys(answer.errors).length) {
        Object.entries(answer.errors).forEach(function ([blockId, message]) {
          const slot = modal.querySelector('[data-error-for="' + blockId + '"]');
          if (slot) slot.textContent = message;
        });
        return;
      }
      if (answer.ok === false && answer.note) {
        document.getElementById("modal-note").textContent = answer.note;
        return;
      }
      reload();
    });
  }

  const timeline = document.getElementById("timeline");
  if (timeline) timeline.scrollTop = timeline.scrollHeight;
})();
