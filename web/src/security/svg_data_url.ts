// <img src> for an SVG document given as text. The CSP allows data: images
// (img-src 'self' data:), and an <img> never runs scripts inside the SVG.
export function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  // Chunked: String.fromCharCode(...bytes) overflows the stack on big input.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}
