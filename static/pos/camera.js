// Scanning with the tablet's camera, where the browser has the BarcodeDetector API
// (Chrome on Android, for instance). Elsewhere the camera button stays hidden and a USB
// scanner or the keyboard does the job.

// Batch labels carry a Code128 of the batch code and a QR code of the trace page;
// products may also carry an EAN/UPC.
const WANTED = ["code_128", "qr_code", "ean_13", "ean_8", "upc_a", "upc_e"];

export function cameraAvailable() {
  return "BarcodeDetector" in window && !!navigator.mediaDevices?.getUserMedia;
}

/**
 * Shows the camera in `video` until a code is read or `signal` aborts.
 * Resolves to the code's text, or null when aborted.
 */
export async function scanWithCamera(video, signal) {
  const supported = await window.BarcodeDetector.getSupportedFormats();
  const formats = WANTED.filter((format) => supported.includes(format));
  const detector = new window.BarcodeDetector(formats.length ? { formats } : undefined);
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: "environment" },
    audio: false,
  });
  video.srcObject = stream;
  await video.play();
  try {
    while (!signal.aborted) {
      const codes = await detector.detect(video).catch(() => []);
      if (codes.length) return codes[0].rawValue;
      // About five looks a second: enough for a steady hand, easy on a small battery.
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return null;
  } finally {
    stream.getTracks().forEach((track) => track.stop());
    video.srcObject = null;
  }
}
