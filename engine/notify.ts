import { setMaxListeners } from 'node:events';
import { shortText } from '../model/messages';
import type { CheckVerdict } from '../model/release';
import { liveColors, NotifyTarget, RainbowSpec } from '../model/types';
import { Io } from './io';
import { RELEASE_TEXT } from './release-messages';

/**
 * `progression.notify`: one JSON event per change of a release (and a rollback by
 * `rainbow rollback`, as a release's own), POSTed to each URL. Delivery
 * never holds the release: each POST runs beside it, is retried a few times with a short backoff,
 * and at the end the release waits for what is still outstanding at most `flushMs`, then gives up
 * on it. A delivery that failed for good is one warning line.
 */

/** The changes a release reports. */
export type ReleaseEventKind = 'started' | 'step' | 'paused' | 'promoted' | 'rolled-back' | 'failed';

/**
 * What a notification carries: names, weights and verdicts the release prints anyway; never an
 * environment variable, a check's URL or command, or a command's output.
 */
export interface ReleaseEvent {
  readonly event: ReleaseEventKind;
  readonly app: string;
  readonly color: string;
  /** The step the event is about, `step 2/4 (green at 25%)`, and its weight, when there is one. */
  readonly step?: { readonly label: string; readonly weight: number };
  /** Every color's weight, as deployed as far as the release knows. */
  readonly weights: Readonly<Record<string, number>>;
  /** The latest run of each check of the step, when there was one. */
  readonly verdicts: ReadonlyArray<{ readonly name: string; readonly verdict: CheckVerdict }>;
  /** Why it paused, rolled back or failed. */
  readonly reason?: string;
  /** ISO time of the event. */
  readonly at: string;
}

export interface NotifyTimings {
  /** Tries of one delivery, the first included. */
  readonly attempts: number;
  /** The wait before the second try; doubled before each next one. */
  readonly backoffMs: number;
  /** How long one POST may take. */
  readonly attemptTimeoutMs: number;
  /** How long the end of a release waits for deliveries still under way. */
  readonly flushMs: number;
}

export const NOTIFY_TIMINGS: NotifyTimings = { attempts: 3, backoffMs: 250, attemptTimeoutMs: 2000, flushMs: 5000 };

/**
 * An event about `color`'s release, with every live color's weight in `deployed` (none when nothing is known to be).
 */
export function releaseEvent(
  event: ReleaseEventKind,
  app: string,
  color: string,
  deployed: RainbowSpec | undefined,
  o: {
    readonly step?: ReleaseEvent['step'];
    readonly verdicts?: ReleaseEvent['verdicts'];
    readonly reason?: string;
    readonly at: Date;
  },
): ReleaseEvent {
  return {
    event,
    app,
    color,
    ...(o.step === undefined ? {} : { step: o.step }),
    weights: deployed === undefined ? {} : Object.fromEntries(liveColors(deployed).map((c) => [c.name, c.weight])),
    verdicts: o.verdicts ?? [],
    ...(o.reason === undefined ? {} : { reason: o.reason }),
    at: o.at.toISOString(),
  };
}

/** The POSTs of one release, or of one `rainbow rollback`. */
export class Notifier {
  private readonly pending = new Set<Promise<void>>();
  private readonly stop = new AbortController();

  constructor(
    private readonly io: Io,
    private readonly targets: readonly NotifyTarget[],
    private readonly timings: NotifyTimings = NOTIFY_TIMINGS,
    /** The command whose events these are: the prefix of its warnings. */
    private readonly command: 'release' | 'rollback' = 'release',
  ) {
    // Every delivery under way listens for the end: more than Node's default of 10 is expected, not a leak.
    setMaxListeners(0, this.stop.signal);
  }

  /** Starts delivering `event` to every target; returns at once. */
  send(event: ReleaseEvent): void {
    if (this.targets.length === 0) return;
    const body = JSON.stringify(event);
    for (const target of this.targets) {
      const delivery = this.deliver(target.url, body, event.event).finally(() => this.pending.delete(delivery));
      this.pending.add(delivery);
    }
  }

  /**
   * Waits for the deliveries under way, at most `flushMs`; those still going then are abandoned, each with its warning.
   */
  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.timings.flushMs);
    });
    await Promise.race([Promise.allSettled([...this.pending]), late]);
    clearTimeout(timer);
    this.stop.abort();
    await Promise.allSettled([...this.pending]);
  }

  private async deliver(url: string, body: string, kind: ReleaseEventKind): Promise<void> {
    let why = '';
    for (let attempt = 1; attempt <= this.timings.attempts && !this.stop.signal.aborted; attempt++) {
      if (attempt > 1) await this.wait(this.timings.backoffMs * 2 ** (attempt - 2));
      if (this.stop.signal.aborted) break;
      why = await this.post(url, body);
      if (why === '') return;
    }
    if (this.stop.signal.aborted) why = RELEASE_TEXT.notifyAbandoned(this.timings.flushMs, this.command);
    this.io.err(
      `${this.command}: ${RELEASE_TEXT.notifyFailed(kind, hostOf(url), this.timings.attempts, why, this.command)}`,
    );
  }

  /** One POST; '' when a 2xx answered, else why not. A plain timer bounds it (see engine/checks.ts `deadline`). */
  private async post(url: string, body: string): Promise<string> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timings.attemptTimeoutMs);
    const onStop = () => controller.abort();
    this.stop.signal.addEventListener('abort', onStop, { once: true });
    try {
      const response = await fetch(url, {
        method: 'POST',
        body,
        redirect: 'manual',
        signal: controller.signal,
        headers: { 'content-type': 'application/json', 'user-agent': 'rainbow-release' },
      });
      await response.body?.cancel().catch(() => undefined);
      return response.status >= 200 && response.status < 300 ? '' : `HTTP ${response.status}`;
    } catch (error) {
      if (controller.signal.aborted) return `no answer within ${this.timings.attemptTimeoutMs} ms`;
      const cause = (error as { cause?: { message?: string } }).cause;
      return shortText(cause?.message ?? (error instanceof Error ? error.message : String(error)), 160);
    } finally {
      clearTimeout(timer);
      this.stop.signal.removeEventListener('abort', onStop);
    }
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.stop.signal.addEventListener('abort', done, { once: true });
    });
  }
}

/** The host of a notification URL, for the warning: the path may hold a token. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
}
