/* Small accessibility repairs to the HTML the theme and Sphinx write. */
document.addEventListener("DOMContentLoaded", () => {
  // The references page: a role="list" must hold list items.
  document.querySelectorAll('.citation-list[role="list"] > .citation').forEach((entry) => {
    entry.setAttribute("role", "listitem");
  });
  // A region that scrolls sideways (a wide table, a long output line) can be
  // reached and scrolled from the keyboard.
  const focusable = () => {
    document.querySelectorAll(".bd-article table, .bd-article .output pre, " +
                              ".bd-article .cell_output .text_html").forEach((el) => {
      if (el.scrollWidth > el.clientWidth + 1 && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
      }
    });
  };
  focusable();
  window.addEventListener("load", focusable);
  window.addEventListener("resize", focusable);
});
