// Curbside's progressive enhancement. Every page works without it.
(() => {
  document.documentElement.classList.add("js");

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
    const update = () => {
      counter.textContent = `${area.value.length.toLocaleString()} / ${max.toLocaleString()} characters`;
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
