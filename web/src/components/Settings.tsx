// The settings panel: the time zone of "today" and of clock times, and the threshold limits; kept in this browser.
import { useState } from 'preact/hooks';
import { validZone } from '../format.js';
import { defaultThresholds, saveSettings, type Thresholds, thresholds, timeZone } from '../state/settings.js';

const rows: Array<{ key: keyof Thresholds; label: string; unit: string }> = [
  { key: 'ring', label: 'Ringing longer than', unit: 's' },
  { key: 'hold', label: 'On hold longer than', unit: 's' },
  { key: 'call', label: 'Call longer than', unit: 's' },
  { key: 'wait', label: 'Longest wait over', unit: 's' },
  { key: 'waiting', label: 'Calls waiting at least', unit: 'calls' },
  { key: 'serviceLevel', label: 'Service level at or below', unit: '%' },
  { key: 'asa', label: 'Avg. speed of answer over', unit: 's' },
  { key: 'abandoned', label: 'Abandoned at least', unit: '%' },
];

export function Settings({ onClose }: { onClose: () => void }) {
  const [zone, setZone] = useState(timeZone.value);
  const [limits, setLimits] = useState<Thresholds>(thresholds.value);
  const zoneOk = validZone(zone) === zone || validZone(zone).toLowerCase() === zone.toLowerCase();
  const set = (key: keyof Thresholds, field: 'warn' | 'alarm', value: string) =>
    setLimits({ ...limits, [key]: { ...limits[key], [field]: Number(value) } });
  return (
    <div class="dialog-backdrop">
      <form
        class="dialog"
        aria-label="Settings"
        onSubmit={(event) => {
          event.preventDefault();
          saveSettings({ timeZone: zone, thresholds: limits });
          onClose();
        }}
      >
        <h2>Settings</h2>
        <p class="muted">Kept in this browser only.</p>
        <label class="field">
          Time zone (IANA name; "today" starts at its midnight)
          <input value={zone} onInput={(event) => setZone((event.target as HTMLInputElement).value)} list="zones" />
          {!zoneOk ? <span class="bad-text">Unknown zone: UTC will be used</span> : null}
        </label>
        <datalist id="zones">
          {[
            'UTC',
            'Europe/London',
            'Europe/Berlin',
            'America/New_York',
            'America/Chicago',
            'America/Los_Angeles',
            'Asia/Kolkata',
            'Australia/Sydney',
          ].map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        <table class="limits">
          <thead>
            <tr>
              <th>Threshold</th>
              <th>Amber</th>
              <th>Red</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <td>
                  {row.label} ({row.unit})
                </td>
                <td>
                  <input
                    type="number"
                    min="0"
                    aria-label={`${row.label} amber`}
                    value={limits[row.key].warn}
                    onInput={(event) => set(row.key, 'warn', (event.target as HTMLInputElement).value)}
                  />
                </td>
                <td>
                  <input
                    type="number"
                    min="0"
                    aria-label={`${row.label} red`}
                    value={limits[row.key].alarm}
                    onInput={(event) => set(row.key, 'alarm', (event.target as HTMLInputElement).value)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div class="actions">
          <button type="button" class="link" onClick={() => setLimits(defaultThresholds)}>
            Reset to defaults
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary">
            Save
          </button>
        </div>
      </form>
    </div>
  );
}
