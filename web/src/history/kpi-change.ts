// A report's key figure against the period of equal length before it (pure): the change in percent, and whether it is
// good news. Volumes (calls, offered, answered, handled) are neither, so they are not coloured; missed, abandoned,
// voicemail and the speed of answer are better down, the service level up.
export type Better = 'up' | 'down' | 'neither';

export function kpiChange(current: number | null, previous: number | null, better: Better): { text: string; cls: string } {
  if (current == null || previous == null || previous === 0) return { text: 'no previous figure', cls: 'muted' };
  const percent = Math.round(((current - previous) / previous) * 100);
  const text = `${percent > 0 ? '+' : ''}${percent}% vs previous`;
  if (better === 'neither' || percent === 0) return { text, cls: 'muted' };
  return { text, cls: percent > 0 === (better === 'up') ? 'delta-good' : 'delta-bad' };
}
