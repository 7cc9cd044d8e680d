// The last 30 days as an SVG drawn on the server: a bar of orders started and, over it, a bar of
// orders paid, for each day; the numbers are in each day's <title> and in the labelled totals
// beside it, so nothing needs JavaScript and a screen reader gets the figures too.
import type { Day } from '@/lib/console/daily';
import styles from './console.module.css';

const WIDTH = 300;
const HEIGHT = 80;

type Props = { days: readonly Day[]; label: string; dayTitle: (day: Day) => string };

export function DailyChart({ days, label, dayTitle }: Props) {
  const most = Math.max(1, ...days.map((d) => d.started));
  const step = WIDTH / days.length;
  const bar = (n: number) => (n / most) * (HEIGHT - 2);
  return (
    <svg className={styles.chart} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} data-testid="chart">
      {days.map((day, i) => (
        <g key={day.start} data-day={i} data-started={day.started} data-paid={day.paid}>
          <title>{dayTitle(day)}</title>
          <rect x={i * step + 1} width={step - 2} y={HEIGHT - bar(day.started)} height={bar(day.started)} className={styles.chartStarted} />
          <rect x={i * step + 1} width={step - 2} y={HEIGHT - bar(day.paid)} height={bar(day.paid)} className={styles.chartPaid} />
        </g>
      ))}
    </svg>
  );
}
