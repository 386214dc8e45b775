// Applies the remembered light/dark choice, and the drive's list or grid layout, before the
// first paint, so the page never flashes.
(function () {
  try {
    var theme = localStorage.getItem("gosync-theme");
    if (theme === "light" || theme === "dark") {
      document.documentElement.setAttribute("data-theme", theme);
    }
    if (localStorage.getItem("gosync-view") === "grid") {
      document.documentElement.setAttribute("data-view", "grid");
    }
  } catch (e) { /* storage disabled: follow the system, show a list */ }
})();
