// Photo lightbox: a native <dialog>, so focus, Esc and screen readers work without a library.
// Works from file:// (no fetch, no modules). Arrow keys move between the page's photos.
(function () {
  "use strict";
  function setup() {
    var images = Array.prototype.slice.call(document.querySelectorAll("img[data-da-full]"));
    if (!images.length || typeof HTMLDialogElement === "undefined") return;
    var dialog = document.querySelector("dialog.da-lightbox");
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.className = "da-lightbox";
      dialog.setAttribute("aria-label", "Photo viewer");
      dialog.innerHTML =
        '<button type="button" class="da-lightbox__close" aria-label="Close">×</button>' +
        '<button type="button" class="da-lightbox__prev" aria-label="Previous photo">‹</button>' +
        '<button type="button" class="da-lightbox__next" aria-label="Next photo">›</button>' +
        '<img alt=""><p class="da-lightbox__caption"></p>';
      document.body.appendChild(dialog);
    }
    var big = dialog.querySelector("img");
    var caption = dialog.querySelector(".da-lightbox__caption");
    var current = 0;
    function show(index) {
      current = (index + images.length) % images.length;
      var img = images[current];
      big.src = img.getAttribute("data-da-full");
      big.alt = img.alt;
      caption.textContent = img.getAttribute("data-da-caption") || "";
      if (!dialog.open) dialog.showModal();
    }
    images.forEach(function (img, index) {
      img.tabIndex = 0;
      img.setAttribute("role", "button");
      img.setAttribute("aria-label", "Enlarge: " + img.alt);
      img.addEventListener("click", function () { show(index); });
      img.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); show(index); }
      });
    });
    dialog.querySelector(".da-lightbox__close").addEventListener("click", function () { dialog.close(); });
    dialog.querySelector(".da-lightbox__prev").addEventListener("click", function () { show(current - 1); });
    dialog.querySelector(".da-lightbox__next").addEventListener("click", function () { show(current + 1); });
    dialog.addEventListener("keydown", function (e) {
      if (e.key === "ArrowLeft") show(current - 1);
      else if (e.key === "ArrowRight") show(current + 1);
    });
    dialog.addEventListener("click", function (e) { if (e.target === dialog) dialog.close(); });
    dialog.addEventListener("close", function () { if (images[current]) images[current].focus(); });
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);  // Material's instant navigation re-renders the page
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
