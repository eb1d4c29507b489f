// Interactive SPC charts: every element with a data-chart-spec attribute names a JSON script
// element holding a Vega-Lite spec built by mhsip/charts/spc.py, and gets the chart drawn in it.
//
// The page's Content-Security-Policy forbids eval, so Vega evaluates its expressions with the
// vega-interpreter instead of compiling them to functions (`ast: true`).
import embed from "vega-embed";
import { expressionInterpreter } from "vega-interpreter";

function drawCharts() {
  for (const target of document.querySelectorAll("[data-chart-spec]")) {
    const source = document.getElementById(target.dataset.chartSpec);
    if (!source) continue;
    const spec = JSON.parse(source.textContent);
    embed(target, spec, {
      ast: true,
      expr: expressionInterpreter,
      actions: false,
      renderer: "svg",
      // Our stylesheet (static) styles the tooltip; vega-embed must not inject <style>.
      defaultStyle: false,
      tooltip: { disableDefaultStyle: true },
    })
      .then(() => target.classList.add("mhsip-chart--drawn"))
      .catch((error) => {
        target.textContent = "The interactive chart could not be drawn: " + error.message;
      });
  }
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", drawCharts);
} else {
  drawCharts();
}
