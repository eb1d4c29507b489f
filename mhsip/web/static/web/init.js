// Start the NHS.UK frontend's JavaScript components (header menu, skip link and so on).
// Loaded as a module, so only browsers that the frontend supports run it: the classes below are
// what the design system's page template sets with an inline script, which our
// Content-Security-Policy does not allow.
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";
import { initReveals } from "./reveal.js";

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
initAll();
initReveals();
