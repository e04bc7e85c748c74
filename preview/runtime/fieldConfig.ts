import { FieldColorModeId, standardFieldConfigEditorRegistry, type FieldConfigPropertyItem } from '@grafana/data';

/**
 * Grafana fills this registry at boot with its standard field options, and panels keep only the field config their
 * registry lists: without it the preview's charts lose their units and series colours. The preview registers the
 * ones its charts need, passing the values through; min and max stay out, because without Grafana's own processing
 * (null for "auto") they leave the chart blank.
 */
function passThrough(id: string, defaultValue?: unknown): FieldConfigPropertyItem {
  return {
    id,
    path: id,
    name: id,
    defaultValue,
    process: (value: unknown) => value,
    shouldApply: () => true,
    editor: () => null,
    override: () => null,
  };
}

export function registerStandardFieldConfig(): void {
  standardFieldConfigEditorRegistry.setInit(() => [
    passThrough('unit'),
    passThrough('color', { mode: FieldColorModeId.PaletteClassic }),
    passThrough('noValue'),
    // The time series panel's own options (fill, the axis' soft minimum) travel as one object: Grafana registers
    // each under `custom.*`; passing the object through keeps what the plugin set.
    passThrough('custom'),
  ]);
}
