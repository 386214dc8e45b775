// Applies the remembered light/dark choice before the first paint, so the page never flashes.
(function () {
  try {
    var theme = localStorage.getItem("gosync-theme");
    if (theme === "light" || theme === "dark") {
      document.documentElement.setAttribute("data-theme", theme);
    }
  } catch (e) { /* storage disabled: follow the system */ }
})();
