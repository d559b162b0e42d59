// The Print button of receipts and Z reports. A static file, not an onclick attribute:
// the Content-Security-Policy lets no inline handler run.
document.addEventListener("click", (event) => {
    if (event.target.closest("[data-print]")) {
        window.print();
    }
});
