// Reading a service's /metrics (Prometheus text format) for the bench: the value of a counter, summed over the
// series that carry the given labels; null when the service does not expose it (an older build).

function labelsMatch(labelText: string, wanted: Record<string, string>): boolean {
  for (const [name, value] of Object.entries(wanted)) {
    if (!labelText.includes(`${name}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)) return false;
  }
  return true;
}

export function counterValue(text: string, name: string, labels: Record<string, string> = {}): number | null {
  let found = false;
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    let labelText = '';
    let valueText: string;
    if (rest.startsWith('{')) {
      const close = rest.indexOf('}');
      if (close < 0) continue;
      labelText = rest.slice(1, close);
      valueText = rest.slice(close + 1).trim();
    } else if (rest.startsWith(' ')) {
      valueText = rest.trim();
    } else {
      continue; // another metric whose name starts with this one (e.g. name_bucket)
    }
    if (!labelsMatch(labelText, labels)) continue;
    const value = Number(valueText.split(' ')[0]);
    if (!Number.isFinite(value)) continue;
    found = true;
    total += value;
  }
  return found ? total : null;
}

/** GET <url>/metrics; null when it cannot be read. */
export async function fetchMetrics(url: string): Promise<string | null> {
  try {
    const response = await fetch(`${url}/metrics`);
    return response.ok ? await response.text() : null;
  } catch {
    return null;
  }
}
