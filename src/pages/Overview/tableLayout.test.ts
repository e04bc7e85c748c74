import { FIGURE_COLUMNS } from '../../components/ServiceFigures/columns';
import { TABLE_GROUPS } from './tableLayout';

const figures = TABLE_GROUPS.flatMap((g) => g.columns.flatMap((c) => c.figures));

describe('overview table layout', () => {
  it('groups the figures by layer, mesh first, with the header labels an SRE reads', () => {
    expect(TABLE_GROUPS.map((g) => [g.name, g.columns.map((c) => c.figures.map((f) => f.label).join(' / '))])).toEqual([
      ['Mesh', ['RPS', 'Success', 'p50 / p95 / p99']],
      ['App', ['RPS', 'Success', 'p50 / p95']],
      ['Outside the app', ['mean', 'p95']],
    ]);
  });

  it('shows every figure column exactly once, so each has a cell and a sort button', () => {
    expect(figures.map((f) => f.id).sort()).toEqual(FIGURE_COLUMNS.map((c) => c.id).sort());
  });
});
