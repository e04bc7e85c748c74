/** Saves text as a file through the browser's download (an object URL on a temporary link). */
export function downloadText(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The download has read the blob once the click's task is done.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
