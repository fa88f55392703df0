// Curbside's progressive enhancement. Every page works without it.
(() => {
  // Physician application fields only when "I am a physician" is ticked.
  const physician = document.getElementById("isPhysician");
  const fields = document.getElementById("physician-fields");
  if (physician && fields) {
    const sync = () => {
      fields.hidden = !physician.checked;
    };
    physician.addEventListener("change", sync);
    sync();
  }

  // Character counters on text areas with a maximum length.
  for (const area of document.querySelectorAll("textarea[data-counter][maxlength]")) {
    const max = Number(area.getAttribute("maxlength"));
    const counter = document.createElement("p");
    counter.className = "char-count";
    counter.setAttribute("aria-live", "polite");
    // Thousands by hand: Number's toLocaleString starts ICU, about 60 ms of a phone's main thread on first use.
    const grouped = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    const update = () => {
      counter.textContent = `${grouped(area.value.length)} / ${grouped(max)} characters`;
    };
    area.insertAdjacentElement("afterend", counter);
    area.addEventListener("input", update);
    update();
  }

  // Warn before leaving a page with an unsent post.
  let dirty = false;
  for (const form of document.querySelectorAll("form[data-unsaved-warning]")) {
    form.addEventListener("input", () => {
      dirty = true;
    });
    form.addEventListener("submit", () => {
      dirty = false;
    });
  }
  window.addEventListener("beforeunload", (event) => {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // "Reply" moves the reply form beneath the reply, as blog comment threads do.
  const section = document.getElementById("reply-form");
  const form = section?.querySelector("form");
  const heading = document.getElementById("reply-form-heading");
  if (section && form && heading) {
    const home = section.parentElement;
    const next = section.nextSibling;
    const parentField = form.querySelector('input[name="parentId"]');
    const originalHeading = heading.textContent;
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "link-button";
    cancel.textContent = "Cancel reply";
    cancel.hidden = true;
    heading.insertAdjacentElement("afterend", cancel);
    cancel.addEventListener("click", () => {
      home.insertBefore(section, next);
      if (parentField) parentField.value = "";
      heading.textContent = originalHeading;
      cancel.hidden = true;
      section.querySelector(".replying-to")?.remove();
    });
    for (const link of document.querySelectorAll("a.reply-link[data-reply-to]")) {
      link.addEventListener("click", (event) => {
        event.preventDefault();
        const article = link.closest("li.reply")?.querySelector(":scope > article");
        if (!article || !parentField) return;
        article.insertAdjacentElement("afterend", section);
        parentField.value = link.dataset.replyTo ?? "";
        heading.textContent = `Reply to ${link.dataset.replyName ?? "this reply"}`;
        cancel.hidden = false;
        section.querySelector("textarea")?.focus();
      });
    }
  }
})();

// Safety while writing: the server's own guard (emergency signs, identifying details), bundled from the same
// modules and loaded only on pages with a post form. This is a preview: when details remain at sending, the
// server shows its review step ("Remove them and post" / "Post as written"), as it does without JavaScript.
(() => {
  const forms = [...document.querySelectorAll("form.post-form")].filter((f) => f.querySelector("[data-safety-live]"));
  if (forms.length === 0 || !window.fetch) return;
  const nonce = document.querySelector("script[nonce]")?.nonce ?? "";
  let ready;
  const load = () =>
    (ready ??= fetch("/safety-rules.json")
      .then((r) => r.json())
      .then(
        (info) =>
          new Promise((resolve, reject) => {
            const script = document.createElement("script");
            script.src = info.guard;
            script.nonce = nonce;
            script.onload = () => resolve({ guard: window.CurbsideSafety, context: { physicians: info.physicians } });
            script.onerror = reject;
            document.head.append(script);
          }),
      ));
  const el = (tag, text, cls) => {
    const e = document.createElement(tag);
    if (text) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  };

  for (const form of forms) {
    const live = form.querySelector("[data-safety-live]");
    const fields = [...form.querySelectorAll('input[name="title"], textarea[name="body"]')];
    live.setAttribute("aria-live", "polite");
    let timer;
    const check = async () => {
      const { guard, context } = await load();
      const text = fields.map((f) => f.value).join("\n");
      const kinds = [...new Set(guard.findEmergencySigns(text).map((s) => s.kind))];
      const details = guard.findIdentifyingDetails(text, context);
      live.replaceChildren();
      live.className = kinds.length || details.length ? "safety-live" : "";
      if (kinds.length) {
        live.append(el("h2", "If this is happening now, get help now"));
        const list = el("ul");
        for (const k of kinds) list.append(el("li", guard.EMERGENCY_GUIDANCE[k]));
        live.append(
          list,
          el("p", "Call your local emergency number or go to the nearest emergency department now. Don't wait for an answer here."),
        );
        if (kinds.includes("selfHarm"))
          live.append(
            el(
              "p",
              "If you are thinking about suicide or about harming yourself, call your local emergency number now, or a crisis line in your country.",
            ),
          );
      }
      if (details.length) {
        live.append(el("h2", "This could identify you"));
        const list = el("ul");
        for (const d of details) {
          const li = el("li", `${guard.IDENTIFYING_LABELS[d.kind]}: `);
          li.append(el("mark", d.text));
          list.append(li);
        }
        const remove = el("button", "Remove them", "button button-secondary");
        remove.type = "button";
        remove.addEventListener("click", () => {
          for (const f of fields) f.value = guard.removeIdentifyingDetails(f.value, context);
          check();
        });
        live.append(list, remove, el("p", "If any remain when you send, we'll ask you once more before posting."));
      }
    };
    for (const f of fields)
      f.addEventListener("input", () => {
        clearTimeout(timer);
        timer = setTimeout(check, 300);
      });
    if (fields.some((f) => f.value)) check();
  }
})();

// Moderation: tick every item shown, for bulk decisions.
(() => {
  const button = document.querySelector("[data-select-all]");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    const boxes = [...document.querySelectorAll('input[type="checkbox"][name="items"][form="bulk"]')];
    const all = boxes.every((b) => b.checked);
    for (const b of boxes) b.checked = !all;
    button.textContent = all ? "Select all shown" : "Clear selection";
  });
})();

// Times in the reader's own time zone. The page says UTC, the same for everyone (pages are cached and
// shared); only the browser knows where its reader is. The UTC text stays as the element's title. Written in the
// page's own form ("2 December 2026 at 14:05 UTC+1") with Date's methods: creating an Intl.DateTimeFormat cost
// the first page view about 80 ms of main thread (Lighthouse's total blocking time on a phone: 315 -> 174 ms).
(() => {
  const times = document.querySelectorAll("time[data-local][datetime]");
  if (times.length === 0) return;
  const months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
  const two = (n) => (n < 10 ? `0${n}` : String(n));
  const zone = (when) => {
    const east = -when.getTimezoneOffset();
    if (east === 0) return "UTC";
    const minutes = Math.abs(east) % 60;
    return `UTC${east > 0 ? "+" : "\u2212"}${Math.floor(Math.abs(east) / 60)}${minutes ? `:${two(minutes)}` : ""}`;
  };
  const day = (when) => `${when.getDate()} ${months[when.getMonth()]} ${when.getFullYear()}`;
  const formats = {
    date: day,
    datetime: (when) => `${day(when)} at ${two(when.getHours())}:${two(when.getMinutes())} ${zone(when)}`,
  };
  for (const time of times) {
    const format = formats[time.dataset.local];
    const when = new Date(time.getAttribute("datetime"));
    if (!format || Number.isNaN(when.getTime())) continue;
    time.title = time.textContent;
    time.textContent = format(when);
  }
})();

// The header menu is a <details> and works without this; here it also closes on Escape and on a click elsewhere.
(() => {
  const menu = document.querySelector(".site-menu");
  if (!menu) return;
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !menu.open) return;
    menu.open = false;
    menu.querySelector("summary")?.focus();
  });
  document.addEventListener("click", (event) => {
    if (menu.open && !menu.contains(event.target)) menu.open = false;
  });
})();

// ==== Writing: preview in place, and drafts kept in this browser (issue 25, writing) ====
// "Preview" asks the form's own address for the preview section alone (the server's renderer, the same checks)
// and shows it above the form. Drafts of each Markdown form are kept in localStorage, per account and per form
// address, restored when the form is opened again, and removed once the post is sent (the next page is not the
// same form coming back with a problem) or when someone signs out.
(() => {
  const forms = [...document.querySelectorAll("form.post-form")].filter((f) => f.querySelector('button[name="intent"][value="preview"]'));
  const PREFIX = "curbside:draft:";
  const SENT = "curbside:draft-sent";
  // Opened only when needed: the first use of a storage area waits on the browser, which pages without a form skip.
  const open = () => {
    try {
      const area = window.localStorage;
      area.getItem(PREFIX);
      return area;
    } catch {
      return null;
    }
  };
  const store = forms.length ? open() : null;

  // Signing out clears every draft: health text must not wait on a shared computer for the next person.
  let signingOut = false;
  for (const logout of document.querySelectorAll('form[action="/logout"]')) {
    logout.addEventListener("submit", () => {
      signingOut = true;
      const area = store ?? open();
      if (!area) return;
      for (const key of Object.keys(area)) if (key.startsWith(PREFIX)) area.removeItem(key);
    });
  }

  // The form came back from the server (a problem, the safety review, or a preview without JavaScript): it is not sent.
  const cameBack = !!document.querySelector("#error-summary, #safety-review, #preview");
  const keyOf = (form) => {
    const owner = form.querySelector("[data-draft-note]")?.dataset.draftOwner || "guest";
    const to = form.querySelector('input[name="to"]')?.value ?? "";
    return `${PREFIX}${owner}:${new URL(form.action, location.href).pathname}${to ? `?to=${to}` : ""}`;
  };
  const pageKeys = forms.map(keyOf);

  // A draft whose form was sent is removed once the page that follows is not that form coming back: before any
  // draft is restored here, and on a page without a form once it has settled (reading storage waits on the browser).
  const clearSent = () => {
    let sent = [];
    try {
      sent = JSON.parse(sessionStorage.getItem(SENT) ?? "[]");
    } catch {}
    if (!sent.length) return;
    const area = store ?? open();
    if (area) for (const key of sent) if (!(cameBack && pageKeys.includes(key))) area.removeItem(key);
    try {
      sessionStorage.removeItem(SENT);
    } catch {}
  };
  if (forms.length) clearSent();
  else setTimeout(clearSent, 0);

  for (const form of forms) {
    const key = keyOf(form);
    const fields = [...form.querySelectorAll("input[name]:not([type=hidden]), textarea[name], select[name]")].filter(
      (f) => f.type !== "checkbox" && f.type !== "radio",
    );
    const note = form.querySelector("[data-draft-note]");

    if (store && note) {
      note.hidden = false;
      // Text back as it was when the page opened is no draft; a full store just keeps no draft.
      const save = (keepOld = false) => {
        if (signingOut) return;
        const values = Object.fromEntries(fields.map((f) => [f.name, f.value]));
        const changed = fields.some((f) => f.value !== (f.tagName === "SELECT" ? f.dataset.initial : f.defaultValue));
        try {
          if (changed) store.setItem(key, JSON.stringify({ values, savedAt: Date.now() }));
          else if (!keepOld) store.removeItem(key);
        } catch {}
      };
      for (const f of fields) if (f.tagName === "SELECT") f.dataset.initial = f.value;
      let timer;
      form.addEventListener("input", () => {
        clearTimeout(timer);
        timer = setTimeout(save, 250);
      });
      form.addEventListener("change", () => save());
      // Typing, then closing the tab within the pause, still keeps the text.
      window.addEventListener("pagehide", () => save(true));

      let draft = null;
      try {
        draft = JSON.parse(store.getItem(key) ?? "null");
      } catch {}
      if (cameBack) save(true);
      else if (draft?.values) {
        const before = fields.map((f) => f.value);
        for (const f of fields) if (typeof draft.values[f.name] === "string") f.value = draft.values[f.name];
        for (const f of fields) f.dispatchEvent(new Event("input", { bubbles: true }));
        const restored = document.createElement("p");
        restored.className = "draft-note";
        restored.setAttribute("role", "status");
        restored.textContent = "Your draft from this device was restored. ";
        const discard = document.createElement("button");
        discard.type = "button";
        discard.className = "link-button";
        discard.textContent = "Discard draft";
        discard.addEventListener("click", () => {
          fields.forEach((f, i) => {
            f.value = before[i];
            f.dispatchEvent(new Event("input", { bubbles: true }));
          });
          store.removeItem(key);
          restored.textContent = "Draft discarded.";
        });
        restored.append(discard);
        note.insertAdjacentElement("afterend", restored);
      }
    }

    form.addEventListener("submit", async (event) => {
      const previewing = event.submitter?.name === "intent" && event.submitter.value === "preview";
      if (!previewing) {
        try {
          const pending = JSON.parse(sessionStorage.getItem(SENT) ?? "[]");
          sessionStorage.setItem(SENT, JSON.stringify([...new Set([...pending, key])]));
        } catch {}
        return;
      }
      if (!window.fetch || !window.DOMParser) return;
      event.preventDefault();
      const slot = form.parentElement?.querySelector("[data-preview-slot]");
      const body = new URLSearchParams(new FormData(form));
      body.set("intent", "preview");
      try {
        const response = await fetch(form.action, {
          method: "POST",
          body,
          headers: { "x-preview": "fragment" },
          credentials: "same-origin",
        });
        const html = await response.text();
        const fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-preview-slot]");
        if (!slot || !fresh) throw new Error("no preview");
        slot.replaceWith(fresh);
        const shown = fresh.querySelector("#preview");
        shown?.focus({ preventScroll: true });
        shown?.scrollIntoView({ block: "nearest" });
      } catch {
        // Without the fragment, preview as the page does without JavaScript.
        const intent = document.createElement("input");
        intent.type = "hidden";
        intent.name = "intent";
        intent.value = "preview";
        form.append(intent);
        form.submit();
      }
    });
  }
})();
// ==== end of Writing ====
