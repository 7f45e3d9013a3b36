import type { ServerClock } from '../server/serverClock';
import { ManualClock } from './manualClock';

const SERVER = 'server';

/**
 * One virtual time for a client and the in-process test server, for tests of pacing against real HTTP on a machine
 * of any speed. Time stands still while work is under way and jumps to the next timer only when everything is
 * waiting on this clock: no request is in flight except those the server holds in its (virtual) latency. So an HTTP
 * exchange takes no time unless the server's latency says so, and a slow or busy machine changes nothing.
 */
export class VirtualClock extends ManualClock {
  private running = false;

  /** The server's side of the same time (latency and rate-limit refill). */
  readonly server: ServerClock = {
    now: () => this.now(),
    sleep: (milliseconds, signal) => this.schedule(milliseconds, signal, SERVER),
  };

  /**
   * Advances time while `inFlight()` (requests the client has sent and not yet finished, e.g. the limiter's
   * `active`) equals the requests asleep in the server's latency, until {@link stop}. Checked once per event-loop
   * turn, and only after two quiet turns in a row, so answers being read and callbacks queued run first.
   */
  drive(inFlight: () => number): void {
    if (this.running) return;
    this.running = true;
    let quietTurns = 0;
    const turn = (): void => {
      if (!this.running) return;
      const idle = this.pending > 0 && inFlight() === this.pendingTagged(SERVER);
      quietTurns = idle ? quietTurns + 1 : 0;
      if (quietTurns >= 2) {
        quietTurns = 0;
        this.fireEarliest();
      }
      setImmediate(turn);
    };
    setImmediate(turn);
  }

  stop(): void {
    this.running = false;
  }
}
