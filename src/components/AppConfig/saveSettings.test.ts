import { getBackendSrv, type BackendSrv } from '@grafana/runtime';
import { of, throwError } from 'rxjs';
import { PLUGIN_ID } from '../../constants';
import { DEFAULT_SETTINGS } from '../../settings/types';
import { saveSettings } from './saveSettings';

jest.mock('@grafana/runtime', () => ({ ...jest.requireActual('@grafana/runtime'), getBackendSrv: jest.fn() }));

function backend(fetch: jest.Mock) {
  jest.mocked(getBackendSrv).mockReturnValue({ fetch } as unknown as BackendSrv);
}

describe('saveSettings', () => {
  it('posts the settings as the app’s jsonData, enabled and pinned by default, then reloads the page', async () => {
    const fetch = jest.fn(() => of({ ok: true }));
    backend(fetch);
    const reload = jest.fn();
    const settings = { ...DEFAULT_SETTINGS, metricsDatasourceUid: 'vm' };

    await saveSettings(settings, {}, reload);

    expect(fetch).toHaveBeenCalledWith({
      url: `/api/plugins/${PLUGIN_ID}/settings`,
      method: 'POST',
      data: { enabled: true, pinned: true, jsonData: settings },
    });
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('keeps the app’s enabled and pinned state as Grafana gave it', async () => {
    const fetch = jest.fn(() => of({ ok: true }));
    backend(fetch);
    await saveSettings(DEFAULT_SETTINGS, { enabled: false, pinned: false }, jest.fn());
    expect(fetch).toHaveBeenCalledWith(
      expect.objectContaining({ data: expect.objectContaining({ enabled: false, pinned: false }) })
    );
  });

  it('does not reload when Grafana refuses the settings, and hands the error to the form', async () => {
    backend(jest.fn(() => throwError(() => new Error('403 Forbidden'))));
    const reload = jest.fn();
    await expect(saveSettings(DEFAULT_SETTINGS, {}, reload)).rejects.toThrow('403 Forbidden');
    expect(reload).not.toHaveBeenCalled();
  });
});
