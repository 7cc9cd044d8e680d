// The framework's boot task: the one long task every App Router page runs as its scripts arrive
// (React DOM, Next's router and the page's modules evaluated, hydration started), measured in
// Chromium itself with the same 4× CPU slowdown Lighthouse applies, beside the empty page's.
// Lighthouse's TBT counts a task's time over 50 ms only when its simulation places the task
// after the first paint: with this task alone past 150 ms, TBT ≤ 100 ms then depends on where it
// lands, for the empty page as for the shop's. This shows the shop adds nothing to it.
import { chromium } from '@playwright/test';
import { chromiumPath } from './lighthouse.mjs';
import type { BenchPage } from './pages.mjs';

export type BootTask = { page: string; longestMs: number[]; medianMs: number };

const LOADS = 5;
const SLOWDOWN = 4;

export async function measureBootTasks(pages: readonly Pick<BenchPage, 'name' | 'url' | 'headers'>[]): Promise<BootTask[]> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const results: BootTask[] = [];
    for (const page of pages) {
      const context = await browser.newContext({ viewport: { width: 412, height: 915 }, extraHTTPHeaders: page.headers });
      await context.addInitScript(() => {
        const tasks: number[] = [];
        (window as unknown as { __longTasks: number[] }).__longTasks = tasks;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) tasks.push(entry.duration);
        }).observe({ type: 'longtask', buffered: true });
      });
      const longestMs: number[] = [];
      for (let i = 0; i < LOADS; i++) {
        const tab = await context.newPage();
        const cdp = await context.newCDPSession(tab);
        await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: SLOWDOWN });
        await tab.goto(page.url, { waitUntil: 'load' });
        await tab.waitForTimeout(1500);
        const tasks = await tab.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
        longestMs.push(Math.round(Math.max(0, ...tasks)));
        await tab.close();
      }
      await context.close();
      const sorted = [...longestMs].sort((a, b) => a - b);
      results.push({ page: page.name, longestMs, medianMs: sorted[Math.floor(sorted.length / 2)]! });
    }
    return results;
  } finally {
    await browser.close();
  }
}
