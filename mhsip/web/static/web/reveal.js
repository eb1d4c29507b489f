// Show a radio's follow-up question (its "conditional" block) only while that radio is chosen.
//
// The NHS.UK radios script does this too, but sets aria-expanded on each radio, which ARIA does
// not allow on a radio: axe-core reports it as a critical violation (the design systems keep it
// knowingly: alphagov/govuk-frontend#979). The follow-up sits straight after its radio in the
// page, so a screen reader reaches it next without the attribute. Without JavaScript every
// follow-up simply shows (the hiding class only applies once the frontend marks itself supported).

const HIDDEN = "nhsuk-radios__conditional--hidden";

function syncGroup(name) {
  const radios = document.querySelectorAll(`input[type="radio"][name="${CSS.escape(name)}"]`);
  for (const radio of radios) {
    const id = radio.dataset.ariaControls;
    const target = id && document.getElementById(id);
    if (target) {
      radio.setAttribute("aria-controls", id);
      target.classList.toggle(HIDDEN, !radio.checked);
    }
  }
}

function syncAll() {
  const names = new Set();
  for (const radio of document.querySelectorAll('input[type="radio"][data-aria-controls]')) {
    names.add(radio.name);
  }
  names.forEach(syncGroup);
}

export function initReveals() {
  document.addEventListener("change", (event) => {
    const target = event.target;
    if (target instanceof HTMLInputElement && target.type === "radio") {
      syncGroup(target.name);
    }
  });
  // Browsers restore form state after "back" only after the page has loaded.
  window.addEventListener("pageshow", syncAll);
  syncAll();
}
