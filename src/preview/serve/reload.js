// Live reload for `breakeven serve` (never in built sites).
(() => {
  const script = document.currentScript;
  const missing = script && script.dataset.beMissing === "true";
  const here = () => {
    let path = decodeURIComponent(location.pathname).replace(/^\//, "");
    if (path === "" || path.endsWith("/")) path += "index.html";
    return path;
  };
  const swapStylesheets = (changed) => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      if (url.origin === location.origin && changed.includes(url.pathname.replace(/^\//, ""))) {
        url.searchParams.set("breakeven", Date.now().toString());
        link.href = url.toString();
      }
    }
  };
  // A failed rebuild shows in the tab too, not only over the page.
  if (document.getElementById("breakeven-errors") && !document.title.startsWith("Build failed")) {
    document.title = "Build failed · " + document.title;
  }
  const events = new EventSource("/__breakeven/events");
  events.addEventListener("reload", (event) => {
    const update = JSON.parse(event.data);
    const paths = update.paths || [];
    if (update.all || paths.includes(here()) || (missing && paths.includes("404.html"))) {
      location.reload();
      return;
    }
    const css = paths.filter((p) => p.endsWith(".css"));
    if (css.length > 0) swapStylesheets(css);
  });
})();
